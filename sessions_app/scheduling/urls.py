"""Finding teaching and the committee's scheduling; included by sessions_app/urls.py."""

from django.urls import path

from sessions_app.scheduling.views import browse, committee, slots

urlpatterns = [
    path("sessions/", browse.session_list, name="list"),
    path("sessions/calendar/", browse.session_calendar, name="calendar"),
    path("sessions/<int:pk>/", browse.session_detail, name="detail"),
    path("sessions/<int:pk>/session.ics", browse.session_download_ics, name="ics"),
    path("sessions/series/<int:pk>/", browse.series_detail, name="series"),
    path("teaching/dates/", slots.my_teaching_slots, name="my_teaching_slots"),
    path(
        "committee/rounds/<int:round_id>/teaching-slots/",
        slots.committee_teaching_slots,
        name="committee_teaching_slots",
    ),
    path(
        "committee/rounds/<int:round_id>/teaching-slots/<int:pk>/remove/",
        slots.committee_remove_slot,
        name="committee_remove_slot",
    ),
    path(
        "committee/rounds/<int:round_id>/teaching-slots/place/",
        slots.committee_place_remaining,
        name="committee_place_remaining",
    ),
    path("committee/sessions/", committee.session_admin_list, name="committee_list"),
    path("committee/sessions/new/", committee.session_create, name="committee_create"),
    path(
        "committee/sessions/from-allocation/",
        committee.sessions_from_allocation,
        name="committee_from_allocation",
    ),
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
]
