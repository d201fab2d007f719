"""The committee's curriculum pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("committee/curriculum/", views.curriculum, name="committee_curriculum"),
    path(
        "committee/curriculum/export.csv",
        views.curriculum_export,
        name="committee_curriculum_export",
    ),
]
