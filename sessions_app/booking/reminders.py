"""Reminders before a session a member booked: 24 h and 1 h before it starts.

Derived from the database on every run, so a missed run catches up; the times are shown in
the society's time zone, right on both sides of the GMT/BST change.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from meded.notifications import notify, register_kind
from sessions_app.booking.models import Booking
from sessions_app.scheduling.models import TeachingSession

REMINDER_WINDOWS_HOURS = (24, 1)

register_kind("session_reminder", "Reminders before a session you booked.", "reminders")


def send_reminders(now: datetime | None = None, **signal_kwargs) -> int:
    """24 h and 1 h reminders for confirmed bookings made before that window opened.

    A `periodic_task` receiver (and a beat task); the sent log makes a re-run send nothing twice.
    """
    now = now or timezone.now()
    sent = 0
    for i, hours in enumerate(REMINDER_WINDOWS_HOURS):
        window = timedelta(hours=hours)
        # Skip a window once the next (shorter) one has begun: no 24 h reminder 20 minutes out.
        later = REMINDER_WINDOWS_HOURS[i + 1] if i + 1 < len(REMINDER_WINDOWS_HOURS) else 0
        due = Booking.objects.filter(
            status=Booking.Status.CONFIRMED,
            session__status=TeachingSession.Status.PUBLISHED,
            session__starts_at__gt=now + timedelta(hours=later),
            session__starts_at__lte=now + window,
        ).select_related("student", "session")
        for booking in due:
            if booking.confirmed_at and booking.confirmed_at > booking.session.starts_at - window:
                continue  # booked inside the window: they know it is soon
            row = notify(
                booking.student,
                "session_reminder",
                f"sessions_app.booking:{booking.pk}:reminder-{hours}h",
                {"booking": booking, "session": booking.session, "hours": hours},
                deliver_before=booking.session.starts_at,
            )
            sent += row is not None
    return sent
