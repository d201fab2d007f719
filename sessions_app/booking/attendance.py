"""Who came: the tutor's register and students' self check-in with the session's short code."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from meded.models import User
from sessions_app.booking.models import Booking
from sessions_app.booking.waitlist import places_taken
from sessions_app.errors import SessionError
from sessions_app.scheduling.models import TeachingSession

CHECKIN_OPENS_BEFORE = timedelta(minutes=15)


def can_take_register(user: User, session: TeachingSession) -> bool:
    return session.is_run_by(user)


def mark_register(actor: User, session: TeachingSession, marks: dict[int, bool | None]) -> int:
    """Record attended/absent for confirmed bookings; marks maps booking id -> True/False/None."""
    if not can_take_register(actor, session):
        raise SessionError("Only this session's tutors and the committee can take the register.")
    if session.starts_at - CHECKIN_OPENS_BEFORE > timezone.now():
        raise SessionError("The register opens 15 minutes before the session starts.")
    changed = 0
    with transaction.atomic():
        bookings = session.bookings.select_for_update().filter(
            status=Booking.Status.CONFIRMED, pk__in=list(marks)
        )
        for booking in bookings:
            value = marks[booking.pk]
            if booking.attended != value:
                booking.attended = value
                booking.save(update_fields=["attended", "updated"])
                changed += 1
    return changed


def checkin_open(session: TeachingSession, now: datetime) -> bool:
    return session.starts_at - CHECKIN_OPENS_BEFORE <= now < session.ends_at


def check_in(
    student: User, session: TeachingSession, code: str, *, now: datetime | None = None
) -> Booking:
    """A booked student types the code the tutor shows; valid 15 min before start to the end."""
    now = now or timezone.now()
    if session.status != TeachingSession.Status.PUBLISHED:
        raise SessionError("This session is not running, so there is nothing to check in to.")
    if not checkin_open(session, now):
        raise SessionError("Check-in is open from 15 minutes before the start until the end.")
    if code.strip().upper() != session.checkin_code.upper() or not session.checkin_code:
        raise SessionError("That code is not right. Check the code your tutor is showing.")
    with transaction.atomic():
        booking = (
            session.bookings.select_for_update()
            .filter(student=student, status=Booking.Status.CONFIRMED)
            .first()
        )
        if booking is None:
            raise SessionError(
                "You need a confirmed booking to check in. Ask your tutor to mark you present."
            )
        if booking.checked_in_at is None:
            booking.checked_in_at = now
        booking.attended = True
        booking.save(update_fields=["checked_in_at", "attended", "updated"])
        return booking


def mark_all_present(actor: User, session: TeachingSession) -> int:
    """Every confirmed booking not yet marked becomes attended (absences already marked stay)."""
    bookings = session.bookings.filter(status=Booking.Status.CONFIRMED, attended__isnull=True)
    return mark_register(actor, session, dict.fromkeys(bookings.values_list("pk", flat=True), True))


def add_walk_in(actor: User, session: TeachingSession, email: str) -> Booking:
    """A member who came without booking: a confirmed place, marked attended.

    The room's capacity still holds: a full session takes no walk-ins (the waiting list
    comes first)."""
    if not can_take_register(actor, session):
        raise SessionError("Only this session's tutors and the committee can take the register.")
    if session.starts_at - CHECKIN_OPENS_BEFORE > timezone.now():
        raise SessionError("Walk-ins are added from 15 minutes before the session starts.")
    member = User.objects.filter(email__iexact=email.strip()).first()
    if member is None:
        raise SessionError(
            f"No member has the email {email.strip()!r}: they sign up first, then you add them.",
            field="email",
        )
    now = timezone.now()
    with transaction.atomic():
        session = TeachingSession.objects.select_for_update().get(pk=session.pk)
        booking = session.bookings.filter(
            student=member, status__in=[Booking.Status.CONFIRMED]
        ).first()
        if booking is None:
            if session.capacity is not None and places_taken(session) >= session.capacity:
                raise SessionError("The session is full: no walk-ins beyond its places.", "email")
            session.bookings.filter(
                student=member, status__in=[Booking.Status.WAITING, Booking.Status.OFFERED]
            ).update(status=Booking.Status.CANCELLED, cancelled_at=now, cancel_reason="walk_in")
            booking = Booking.objects.create(
                session=session,
                student=member,
                status=Booking.Status.CONFIRMED,
                joined_at=now,
                confirmed_at=now,
            )
        booking.attended = True
        booking.save(update_fields=["attended", "updated"])
    return booking
