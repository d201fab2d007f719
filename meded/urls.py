"""Every page: the core's own, then each concept's urls, then each app's."""

from django.contrib import admin
from django.urls import include, path

from meded import views

handler403 = "meded.views.permission_denied"

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("committee/", views.committee_dashboard, name="committee_dashboard"),
    path("", include("meded.accounts.urls")),
    path("", include("meded.notifications.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("tutors.urls")),
    path("", include("sessions_app.urls")),
    path("", include("feedback.urls")),
    path("", include("meded.curriculum.urls")),
    path("", include("meded.support.urls")),
    path("admin/", admin.site.urls),
]
