"""Sessions a senior tutor may observe."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from sessions_app.models import TeachingSession


def observable_sessions(user, days: int = 30) -> QuerySet[TeachingSession]:
    """Recent sessions taught by others that have started, for a senior tutor to observe."""
    now = timezone.now()
    return (
        TeachingSession.objects.filter(
            status=TeachingSession.Status.PUBLISHED,
            starts_at__gte=now - timedelta(days=days),
            starts_at__lte=now,
        )
        .exclude(tutors=user)
        .order_by("starts_at", "pk")[:10]
    )
