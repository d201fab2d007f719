"""The feedback figures cache: dashboards computed once per filter set, until something behind
them changes.

Every key carries a version number kept in the cache; recording a response, reviewing a comment,
and any save of a session, booking, recording or playback bump it (after the commit), so the next
visitor computes fresh figures. Figures also change with time alone (a feedback window closes and
releases a session, a session starts and joins the filters), so an entry lives only until the
next such moment, and never longer than TIMEOUT.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

VERSION_KEY = "feedback:figures:version"
TIMEOUT = 600  # seconds; a bound on staleness for anything a signal might miss

T = TypeVar("T")


def version() -> int:
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        value = cache.get(VERSION_KEY, 1)
    return value


def _bump_now() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or the cache was flushed): any new value invalidates
        cache.set(VERSION_KEY, int(timezone.now().timestamp()), timeout=None)


def figures_changed(**_kw: Any) -> None:
    """Invalidate every cached feedback figure now and again once the transaction commits (a
    visitor between the two could cache figures without the change; the second bump drops them).
    One counter increment: nothing slow, even under a row lock."""
    _bump_now()
    transaction.on_commit(_bump_now)


def cached(name: str, parts: tuple, compute: Callable[[], tuple[T, datetime | None]]) -> T:
    """`compute()` returns (value, valid until); the value is kept until then (or TIMEOUT)."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"feedback:{name}:v{version()}:{digest}"
    hit = cache.get(key)
    if hit is not None:
        return hit
    value, until = compute()
    timeout = TIMEOUT
    if until is not None:
        timeout = min(TIMEOUT, int((until - timezone.now()).total_seconds()))
    if timeout > 0:
        cache.set(key, value, timeout=timeout)
    return value


def connect() -> None:
    """Bump the version on every save or delete of what the figures are made of."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from feedback.models import Answer, PeerObservation, Response
    from sessions_app.models import Booking, Resource, TeachingSession
    from sessions_app.resources.models import RecordingPlayback

    models = (Response, Answer, PeerObservation, TeachingSession, Booking, Resource)
    for model in (*models, RecordingPlayback):
        uid = f"feedback.figures.{model.__name__}"
        post_save.connect(figures_changed, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(figures_changed, sender=model, dispatch_uid=uid + ".delete")
    m2m_changed.connect(
        figures_changed,
        sender=TeachingSession.tutors.through,
        dispatch_uid="feedback.figures.tutors",
    )
