"""Committee pages that belong to the core (outbox)."""

from django.urls import path

from meded import committee_views

urlpatterns = [
    path("committee/", committee_views.dashboard, name="committee_dashboard"),
    path("committee/outbox/", committee_views.outbox, name="committee_outbox"),
    path(
        "committee/outbox/<int:pk>/resend/",
        committee_views.outbox_resend,
        name="committee_outbox_resend",
    ),
]
