"""The emails about sessions and bookings, and the periodic jobs that decide when they are due.

Immediate: booking_confirmed (.ics attached), waitlist_offer (claim link and deadline),
session_changed, session_cancelled. Due (every beat run, derived from the database so a missed
run catches up): session_reminder 24 h and 1 h before, waiting-list offer expiry, promotions.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from meded.notifications import notify, register_due, register_kind
from sessions_app.models import Booking, TeachingSession

REMINDER_WINDOWS_HOURS = (24, 1)

register_kind("booking_confirmed", "Your place on a teaching session is confirmed.")
# Transactional: the member asked for the place by joining the list, and an offer they never
# see would silently pass their place on.
register_kind("waitlist_offer", "A place has come up for a session you are waiting for.")
register_kind("session_changed", "The time or place of a session you booked has changed.")
register_kind("session_cancelled", "A session you booked or were waiting for is cancelled.")
register_kind("session_reminder", "Reminders before a session you booked.", "reminders")


def _ics_attachment(booking: Booking) -> list[dict]:
    from sessions_app.services.calendar import session_ics

    content = session_ics(booking.session, show_link=True).decode()
    return [
        {
            "filename": f"session-{booking.session_id}.ics",
            "mimetype": "text/calendar",
            "content": content,
        }
    ]


def send_booking_confirmed(booking: Booking, *, promoted: bool = False) -> None:
    notify(
        booking.student,
        "booking_confirmed",
        booking,
        {"booking": booking, "session": booking.session, "promoted": promoted},
        attachments=_ics_attachment(booking),
    )


def send_waitlist_offer(booking: Booking) -> None:
    notify(
        booking.student,
        "waitlist_offer",
        f"sessions_app.booking:{booking.pk}:offer",
        {"booking": booking, "session": booking.session, "deadline": booking.offer_expires_at},
        deliver_before=booking.offer_expires_at,
    )


def send_session_changed(booking: Booking, changed: list[str]) -> None:
    session = booking.session
    notify(
        booking.student,
        "session_changed",
        f"sessions_app.booking:{booking.pk}:seq{session.sequence}",
        {"booking": booking, "session": session, "changed": changed},
        attachments=_ics_attachment(booking) if booking.status == "confirmed" else None,
    )


def send_session_cancelled(booking: Booking, was: str) -> None:
    notify(
        booking.student,
        "session_cancelled",
        booking,
        {"booking": booking, "session": booking.session, "was": was},
    )


def send_reminders(now: datetime | None = None) -> int:
    """24 h and 1 h reminders for confirmed bookings made before that window opened."""
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


def expire_waitlist_offers() -> int:
    from sessions_app.services.waitlist import expire_offers

    return expire_offers()


def promote_waitlists() -> int:
    from sessions_app.services.waitlist import promote_waiting

    return promote_waiting()


register_due("sessions_app.reminders", send_reminders)
register_due("sessions_app.waitlist_expiry", expire_waitlist_offers)
register_due("sessions_app.waitlist_promotions", promote_waitlists)


# --- resources (issue 6): slides reminder for tutors -------------------------------------------
register_kind(
    "resource_slides_reminder",
    "A reminder to upload slides for a session you teach soon.",
    "tutoring",
)


def send_slides_reminders(now: datetime | None = None) -> int:
    from sessions_app.services.resources import send_slides_reminders as job

    return job(now)


register_due("sessions_app.slides_reminders", send_slides_reminders)
