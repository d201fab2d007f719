"""Bookings, the waiting list, attendance and calendar feeds; included by sessions_app/urls.py."""

from django.urls import path

from sessions_app.booking.views import attendance, booking, calendar

urlpatterns = [
    path("sessions/mine/", booking.my_bookings, name="mine"),
    path("sessions/<int:pk>/book/", booking.book, name="book"),
    path("sessions/<int:pk>/cancel/", booking.cancel, name="cancel"),
    path("sessions/<int:pk>/undo-cancel/", booking.undo_cancel, name="undo_cancel"),
    path("sessions/<int:pk>/claim/", booking.claim, name="claim"),
    path("sessions/<int:pk>/register/", attendance.register, name="register"),
    path("sessions/<int:pk>/checkin/", attendance.checkin, name="checkin"),
    path("sessions/<int:pk>/register/screen/", attendance.checkin_screen, name="checkin_screen"),
    path("sessions/<int:pk>/checkin/qr/<str:code>/", attendance.checkin_qr, name="checkin_qr"),
    path("sessions/series/<int:pk>/book/", booking.book_series, name="book_series"),
    path("calendar/<str:token>.ics", calendar.feed, name="feed"),
    path("accounts/calendar/regenerate/", calendar.regenerate, name="regenerate_feed"),
    path("committee/sessions/no-shows/", attendance.no_shows, name="committee_no_shows"),
]
