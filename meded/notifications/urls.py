"""Email pages: a member's preferences and unsubscribe links; the committee's outbox."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "accounts/notifications/",
        views.notification_preferences,
        name="notification_preferences",
    ),
    path("accounts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("committee/outbox/", views.outbox, name="committee_outbox"),
    path(
        "committee/outbox/<int:pk>/resend/",
        views.outbox_resend,
        name="committee_outbox_resend",
    ),
]
