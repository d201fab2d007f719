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
    path(
        "committee/mailings/new/<str:action>/<int:target_id>/",
        views.mailing_new,
        name="committee_mailing_new",
    ),
    path("committee/mailings/<int:pk>/", views.mailing_view, name="committee_mailing"),
    path("committee/mailings/<int:pk>/undo/", views.mailing_undo, name="committee_mailing_undo"),
]
