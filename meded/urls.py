from django.contrib import admin
from django.urls import include, path

from meded import views

handler403 = "meded.views.permission_denied"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/profile/", views.profile, name="profile"),
    path(
        "accounts/notifications/",
        views.notification_preferences,
        name="notification_preferences",
    ),
    path("accounts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("accounts/", include("allauth.urls")),
    path("", include("tutors.urls")),
    path("", include("sessions_app.urls")),
    path("", include("feedback.urls")),
    path("", include("meded.committee_urls")),
    path("admin/", admin.site.urls),
]
