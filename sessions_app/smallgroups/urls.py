"""Availability and small groups; included by sessions_app/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("availability/", views.my_availability, name="availability"),
    path("committee/find-a-time/", views.find_a_time, name="find_a_time"),
    path(
        "availability/exceptions/<int:pk>/remove/",
        views.remove_exception,
        name="availability_remove_exception",
    ),
]
