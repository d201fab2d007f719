"""Availability and small groups; included by sessions_app/urls.py."""

from django.urls import path

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
]
