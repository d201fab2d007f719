"""The committee's queue of free-text answers awaiting review."""

from __future__ import annotations

from django.db.models import QuerySet

from feedback import disclosure
from feedback.models import Answer, ReviewStatus
from sessions_app.models import TeachingSession


def review_queue() -> QuerySet[Answer]:
    """Free-text answers awaiting review, from released sessions only (window closed, >= k
    responses: a comment read while one person has answered is that person's), grouped by
    session in random-key order (never by arrival, never linked to a member)."""
    pending = Answer.objects.filter(review=ReviewStatus.PENDING).exclude(value_text="")
    sessions = TeachingSession.objects.filter(pk__in=pending.values("response__session_id"))
    released = disclosure.released_sessions(sessions).values("pk")
    return (
        pending.filter(response__session_id__in=released)
        .select_related("question", "response__session", "tutor")
        .order_by("response__session__starts_at", "response__session_id", "id")
    )
