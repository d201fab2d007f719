from django.urls import include, path

from sessions_app.views import attendance, booking, browse, calendar, committee

app_name = "sessions_app"

urlpatterns = [
    path("sessions/", browse.session_list, name="list"),
    path("sessions/calendar/", browse.session_calendar, name="calendar"),
    path("sessions/mine/", booking.my_bookings, name="mine"),
    path("sessions/<int:pk>/", browse.session_detail, name="detail"),
    path("sessions/<int:pk>/session.ics", browse.session_download_ics, name="ics"),
    path("sessions/<int:pk>/book/", booking.book, name="book"),
    path("sessions/<int:pk>/cancel/", booking.cancel, name="cancel"),
    path("sessions/<int:pk>/claim/", booking.claim, name="claim"),
    path("sessions/<int:pk>/register/", attendance.register, name="register"),
    path("sessions/<int:pk>/checkin/", attendance.checkin, name="checkin"),
    path("sessions/series/<int:pk>/", browse.series_detail, name="series"),
    path("sessions/series/<int:pk>/book/", booking.book_series, name="book_series"),
    path("calendar/<str:token>.ics", calendar.feed, name="feed"),
    path("accounts/calendar/regenerate/", calendar.regenerate, name="regenerate_feed"),
    path("committee/sessions/", committee.session_admin_list, name="committee_list"),
    path("committee/sessions/new/", committee.session_create, name="committee_create"),
    path(
        "committee/sessions/from-allocation/",
        committee.sessions_from_allocation,
        name="committee_from_allocation",
    ),
    path("committee/sessions/no-shows/", committee.no_shows, name="committee_no_shows"),
    path("committee/sessions/<int:pk>/", committee.session_edit, name="committee_edit"),
    path(
        "committee/sessions/<int:pk>/duplicate/",
        committee.session_duplicate,
        name="committee_duplicate",
    ),
    path(
        "committee/sessions/<int:pk>/publish/", committee.session_publish, name="committee_publish"
    ),
    path("committee/sessions/<int:pk>/cancel/", committee.session_cancel, name="committee_cancel"),
    path("", include("sessions_app.urls_resources")),
]
