"""Feedback requests: after a session ends, to attendees and recording viewers, and one reminder.

The due job derives everything from the database (bookings, the recording access log,
HasAnswered and the sent log), so a missed beat run loses nothing and nobody is asked twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from meded.models import SentEmail, User
from meded.notifications import notify, object_key, register_due, register_kind
from sessions_app.models import Booking, TeachingSession

from .models import HasAnswered
from .services.eligibility import live_closes_at, recording_closes_at, recording_viewers, window

REMINDER_AFTER = timedelta(days=3)
RECORDING_LOOKBACK = timedelta(days=90)

register_kind("feedback_request", "Please tell us how a session went.", "feedback")
register_kind("feedback_reminder", "A reminder to give feedback on a session.", "feedback")


def _recipients(session: TeachingSession, now: datetime) -> list[User]:
    """Who may still answer: attendees within the window, recording viewers within theirs."""
    answered = set(HasAnswered.objects.filter(session=session).values_list("user_id", flat=True))
    tutors = {t.pk for t in session.tutors.all()}
    people: dict[int, User] = {}
    if now <= live_closes_at(session):
        bookings = (
            Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED)
            .exclude(attended=False)
            .select_related("student")
        )
        people.update({b.student_id: b.student for b in bookings})
    if now <= recording_closes_at(session):
        people.update({u.pk: u for u in recording_viewers(session)})
    return [u for pk, u in sorted(people.items()) if pk not in answered and pk not in tutors]


def send_due_feedback_requests(now: datetime | None = None) -> int:
    """Ask everyone eligible once a session has ended; remind once, three days later."""
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
                kind="feedback_request", object_key=key, recipient__in=recipients
            ).values_list("recipient_id", "created_at")
        )
        context = {"session": session}
        for user in recipients:
            with transaction.atomic():
                if user.pk not in asked:
                    count += notify(user, "feedback_request", session, context) is not None
                elif asked[user.pk] <= now - REMINDER_AFTER:
                    count += notify(user, "feedback_reminder", session, context) is not None
    return count


register_due("feedback_requests", send_due_feedback_requests)
