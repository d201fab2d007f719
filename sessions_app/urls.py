"""The sessions app's pages, one include per concept, all in the "sessions_app" namespace."""

from django.urls import include, path

app_name = "sessions_app"

urlpatterns = [
    path("", include("sessions_app.booking.urls")),
    path("", include("sessions_app.scheduling.urls")),
    path("", include("sessions_app.resources.urls")),
    path("", include("sessions_app.questions.urls")),
    path("", include("sessions_app.cover.urls")),
    path("", include("sessions_app.smallgroups.urls")),
]
