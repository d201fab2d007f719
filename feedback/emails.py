"""Feedback requests: after a session ends, to attendees and recording viewers, and one reminder.

The due job derives everything from the database (bookings, the recording access log,
HasAnswered and the sent log), so a missed beat run loses nothing and nobody is asked twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from meded.models import SentEmail, User
from meded.notifications import notify, object_key, register_kind
from sessions_app.models import Booking, TeachingSession

from .models import HasAnswered
from .selectors.eligibility import (
    ATTENDED,
    live_closes_at,
    recording_closes_at,
    recording_viewers,
    window,
)

REMINDER_AFTER = timedelta(days=3)
RECORDING_LOOKBACK = timedelta(days=90)

# Counted: the outbox shows these per session as numbers, never recipients (who was asked is
# who has not answered).
register_kind("feedback_request", "Please tell us how a session went.", "feedback", counted=True)
register_kind(
    "feedback_reminder", "A reminder to give feedback on a session.", "feedback", counted=True
)


def _recipients(session: TeachingSession, now: datetime) -> list[tuple[User, bool, datetime]]:
    """Who may still answer, whether they came live, and until when: attendees within the
    window after the session, recording viewers within the window after the recording."""
    answered = set(HasAnswered.objects.filter(session=session).values_list("user_id", flat=True))
    tutors = {t.pk for t in session.tutors.all()}
    live_closes, recording_closes = live_closes_at(session), recording_closes_at(session)
    people: dict[int, tuple[User, bool, datetime]] = {}
    if now <= recording_closes:
        people.update({u.pk: (u, False, recording_closes) for u in recording_viewers(session)})
    if now <= live_closes:
        bookings = Booking.objects.filter(session=session, **ATTENDED).select_related("student")
        for b in bookings:
            closes = max(live_closes, recording_closes) if b.student_id in people else live_closes
            people[b.student_id] = (b.student, True, closes)
    return [row for pk, row in sorted(people.items()) if pk not in answered and pk not in tutors]


def send_due_feedback_requests(now: datetime | None = None, **kwargs) -> int:
    """Ask everyone eligible once a session has ended; remind once, three days later.

    Also a `periodic_task` receiver (hence **kwargs): the runner and the beat task call it.
    """
    now = now or timezone.now()
    sessions = (
        TeachingSession.objects.filter(
            ends_at__lte=now, ends_at__gte=now - window() - RECORDING_LOOKBACK
        )
        .exclude(status=TeachingSession.Status.CANCELLED)
        .prefetch_related("tutors")
    )
    count = 0
    for session in sessions:
        recipients = _recipients(session, now)
        if not recipients:
            continue
        key = object_key(session)
        asked = dict(
            SentEmail.objects.filter(
                kind="feedback_request",
                object_key=key,
                recipient__in=[user for user, _live, _closes in recipients],
            ).values_list("recipient_id", "created_at")
        )
        for user, live, closes_at in recipients:
            context = {"session": session, "attended": live, "closes_at": closes_at}
            with transaction.atomic():
                if user.pk not in asked:
                    count += notify(user, "feedback_request", session, context) is not None
                elif asked[user.pk] <= now - REMINDER_AFTER:
                    count += notify(user, "feedback_reminder", session, context) is not None
    return count
