"""Availability and small groups; included by sessions_app/urls.py."""

from django.urls import path

from . import programme_views as pv
from . import views

urlpatterns = [
    path("availability/", views.my_availability, name="availability"),
    path("availability/imports/forget/", views.forget_imports, name="availability_forget"),
    path("committee/find-a-time/", views.find_a_time, name="find_a_time"),
    path("committee/find-a-time/session/", views.session_from_slot, name="session_from_slot"),
    path("teaching/find-a-time/", views.find_a_time_for_my_groups, name="my_groups_find_a_time"),
    path(
        "availability/exceptions/<int:pk>/remove/",
        views.remove_exception,
        name="availability_remove_exception",
    ),
    path("committee/programmes/", pv.programme_index, name="programmes"),
    path("committee/programmes/new/", pv.programme_new, name="programme_new"),
    path("committee/programmes/<int:pk>/", pv.programme_detail, name="programme"),
    path("committee/programmes/<int:pk>/run/", pv.programme_run, name="programme_run"),
    path("committee/programmes/<int:pk>/enrol/", pv.programme_enrol, name="programme_enrol"),
    path(
        "committee/programmes/<int:pk>/groups/<int:group_pk>/lock/",
        pv.programme_lock,
        name="programme_lock",
    ),
    path(
        "committee/programmes/<int:pk>/requests/<int:request_pk>/handled/",
        pv.request_handled,
        name="programme_request_handled",
    ),
    path("small-groups/", pv.my_groups, name="my_groups"),
    path("small-groups/<int:pk>/sign-up/", pv.sign_up, name="programme_sign_up"),
    path("small-groups/<int:pk>/leave/", pv.leave, name="programme_leave"),
    path("small-groups/<int:pk>/ask-to-move/", pv.ask_to_move, name="programme_ask_to_move"),
]
