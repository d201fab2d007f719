"""The committee's queue of free-text answers awaiting review."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from feedback import disclosure
from feedback.models import Answer, ReviewStatus
from feedback.selectors.eligibility import window
from meded.prepared import Prepared
from sessions_app.models import TeachingSession


def review_queue(now: datetime | None = None) -> QuerySet[Answer]:
    """Free-text answers awaiting review, from released sessions only (window closed, >= k
    responses: a comment read while one person has answered is that person's), grouped by
    session in random-key order (never by arrival, never linked to a member)."""
    pending = Answer.objects.filter(review=ReviewStatus.PENDING).exclude(value_text="")
    sessions = TeachingSession.objects.filter(pk__in=pending.values("response__session_id"))
    released = disclosure.released_sessions(sessions, now).values("pk")
    return (
        pending.filter(response__session_id__in=released)
        .select_related("question", "response__session", "tutor")
        .order_by("response__session__starts_at", "response__session_id", "id")
    )


def review_queue_count() -> int:
    """How many answers `review_queue` holds (the committee's home: a read compiled once)."""
    days = window()
    return _review_count_read(disclosure.k(), days).count(timezone.now() - days)


@functools.cache
def _review_count_read(k: int, days: timedelta) -> Prepared:
    """Compiled once per process and setting (k and the window are written into the SQL). Its
    value is the moment windows closed by (now - window), the one moment the SQL holds."""
    return Prepared(lambda since: review_queue(since + days).order_by().values("pk"), 1)
