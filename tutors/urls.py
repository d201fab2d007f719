"""The tutors app's pages: one urls module per concept, URL names unchanged."""

from django.urls import include, path

urlpatterns = [
    path("", include("tutors.recruitment.urls")),
    path("", include("tutors.allocation.urls")),
    path("", include("tutors.mentoring.urls")),
]
