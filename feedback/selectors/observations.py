"""Sessions a senior tutor may observe."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from meded.prepared import Prepared
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


def observable(user, days: int = 30) -> list[TeachingSession]:
    """`observable_sessions` as instances, compiled once per process: the teaching page lists
    them for every senior tutor, and a cold page would compile it each time."""
    now = timezone.now()
    return _OBSERVABLE.instances(user.pk, now - timedelta(days=days), now)


_OBSERVABLE = Prepared(
    lambda user_pk, since, now: (
        TeachingSession.objects.filter(
            status=TeachingSession.Status.PUBLISHED, starts_at__gte=since, starts_at__lte=now
        )
        .exclude(tutors=user_pk)
        .order_by("starts_at", "pk")[:10]
    ),
    3,
)
