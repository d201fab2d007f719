"""The committee's queue of free-text answers awaiting review."""

from __future__ import annotations

from django.db.models import QuerySet

from feedback.models import Answer, ReviewStatus


def review_queue() -> QuerySet[Answer]:
    """Free-text answers awaiting review, oldest day first (never linked to a member)."""
    return (
        Answer.objects.filter(review=ReviewStatus.PENDING)
        .exclude(value_text="")
        .select_related("question", "response__session", "tutor")
        .order_by("response__submitted_on", "id")
    )
