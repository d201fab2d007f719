"""Committee pages that belong to the core (outbox)."""

from django.urls import path

from meded import committee_views, curriculum_views

urlpatterns = [
    path("committee/", committee_views.dashboard, name="committee_dashboard"),
    path("committee/outbox/", committee_views.outbox, name="committee_outbox"),
    path("committee/curriculum/", curriculum_views.curriculum, name="committee_curriculum"),
    path(
        "committee/curriculum/export.csv",
        curriculum_views.curriculum_export,
        name="committee_curriculum_export",
    ),
    path(
        "committee/outbox/<int:pk>/resend/",
        committee_views.outbox_resend,
        name="committee_outbox_resend",
    ),
]
