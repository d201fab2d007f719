"""Booking a place, cancelling it, claiming an offered place, booking a whole series.

Capacity holds under concurrency because every change to a session's places first locks the
session row (SELECT ... FOR UPDATE) and then counts; the partial unique constraint on Booking
makes a second active booking by the same student impossible even if two requests race.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from meded.models import User
from meded.notifications import notify, register_kind
from meded.prepared import Prepared
from sessions_app.booking.models import ActiveBookingStatuses, Booking
from sessions_app.booking.waitlist import (
    TAKING_A_PLACE,
    fill_places,
    notify_confirmed,
    places_taken,
)
from sessions_app.errors import SessionError
from sessions_app.scheduling.models import Series, TeachingSession

Status = Booking.Status
# A cancellation the member can take back for a few minutes, and what it restores.
UNDO_WINDOW = timedelta(minutes=5)
UNDOABLE = {"student": Status.CONFIRMED, "left_waitlist": Status.WAITING}

register_kind("booking_cancelled", "Your booking on a teaching session is cancelled.")


def notify_cancelled(booking: Booking) -> None:
    """The member's own record that the place is given up (and how to book again)."""
    notify(
        booking.student,
        "booking_cancelled",
        booking,
        {"booking": booking, "session": booking.session, "undo_minutes": 5},
    )


def lock_session(session_id: int) -> TeachingSession:
    return TeachingSession.objects.select_for_update().get(pk=session_id)


def check_bookable(session: TeachingSession, now: datetime) -> None:
    reason = session.bookability(now)
    if reason:
        raise SessionError(reason)


def _locked_for_booking(session_id: int, student_id: int) -> QuerySet[TeachingSession]:
    """The session, locked, and whether the student teaches it: one statement takes the lock."""
    teaches = TeachingSession.tutors.through.objects.filter(
        teachingsession_id=OuterRef("pk"), user_id=student_id
    )
    return (
        TeachingSession.objects.select_for_update(of=("self",))
        .annotate(teaching=Exists(teaches))
        .filter(pk=session_id)
    )


def _booking_counts(session_id: int, student_id: int) -> QuerySet[Booking]:
    """The student's active bookings, the queue and the places taken, in one row."""
    return (
        Booking.objects.filter(session_id=session_id)
        .order_by()
        .values("session_id")
        .annotate(
            mine=Count("pk", filter=Q(student_id=student_id, status__in=ActiveBookingStatuses)),
            queue=Count("pk", filter=Q(status=Status.WAITING)),
            taken=Count("pk", filter=Q(status__in=TAKING_A_PLACE)),
        )
        .values_list("mine", "queue", "taken")
    )


# Compiled once per process (meded/prepared.py): the counts run while the lock is held.
LOCKED_FOR_BOOKING = Prepared(_locked_for_booking, 2)
BOOKING_COUNTS = Prepared(_booking_counts, 2)


def book(student: User, session: TeachingSession, *, now: datetime | None = None) -> Booking:
    """Give the student a place if one is free (and nobody queues before them), else queue them."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            # Everyone queues behind this lock at the start of term, so it is held for as few
            # statements as can be, each compiled before: taking it also asks whether the
            # student teaches here, and one statement counts what the rules below ask.
            found = LOCKED_FOR_BOOKING.instances(session.pk, student.pk)
            if not found:
                raise SessionError("This session no longer exists.")
            session = found[0]
            check_bookable(session, now)
            if session.teaching:
                raise SessionError("You are teaching this session, so you do not need a place.")
            mine, queue, taken = (BOOKING_COUNTS.rows(session.pk, student.pk) or [(0, 0, 0)])[0]
            if mine:
                raise SessionError("You already have a booking for this session.")
            free = session.capacity is None or taken < session.capacity
            status = Status.CONFIRMED if free and not queue else Status.WAITING
            booking = Booking.objects.create(
                session=session,
                student=student,
                status=status,
                joined_at=now,
                confirmed_at=now if status == Status.CONFIRMED else None,
            )
            if status == Status.CONFIRMED:
                notify_confirmed(booking)
            return booking
    except IntegrityError as exc:  # a double click racing itself
        raise SessionError("You already have a booking for this session.") from exc


def place(student: User, session: TeachingSession, *, now: datetime | None = None) -> Booking:
    """A confirmed place the committee gives (a small group's member on its sessions): no
    booking window, and no email here, since the caller's mass email announces it. Capacity and
    the one-active-booking rule still hold."""
    now = now or timezone.now()
    with transaction.atomic():
        session = lock_session(session.pk)
        if session.status != TeachingSession.Status.PUBLISHED or session.starts_at <= now:
            raise SessionError("Only a published session that has not started takes places.")
        if Booking.objects.filter(
            session=session, student=student, status__in=ActiveBookingStatuses
        ).exists():
            raise SessionError(f"{student} already has a booking for {session}.")
        if session.capacity is not None and places_taken(session) >= session.capacity:
            raise SessionError(f"{session} is full.")
        return Booking.objects.create(
            session=session,
            student=student,
            status=Status.CONFIRMED,
            joined_at=now,
            confirmed_at=now,
        )


def cancel(actor: User, booking: Booking, *, now: datetime | None = None) -> Booking:
    """Give up a place or leave the waiting list; a freed place goes to the next in the queue."""
    now = now or timezone.now()
    with transaction.atomic():
        session = lock_session(booking.session_id)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.student_id != actor.pk:
            raise SessionError("You can only cancel your own booking.")
        if booking.status == Status.CANCELLED:
            raise SessionError("This booking is already cancelled.")
        if session.ends_at <= now:
            raise SessionError("This session is over, so the booking can no longer be changed.")
        previous = booking.status
        booking.status = Status.CANCELLED
        booking.cancelled_at = now
        booking.cancel_reason = {
            Status.CONFIRMED: "student",
            Status.WAITING: "left_waitlist",
            Status.OFFERED: "offer_declined",
        }[previous]
        booking.cancelled_late = (
            previous == Status.CONFIRMED and now > session.cancellation_deadline
        )
        booking.offer_expires_at = None
        booking.save()
        if previous in (Status.CONFIRMED, Status.OFFERED):
            fill_places(session, now=now)
        if previous == Status.CONFIRMED:
            notify_cancelled(booking)
        return booking


def undo_deadline(booking: Booking) -> datetime | None:
    """Until when the member may take back their own cancellation (None: they cannot)."""
    if booking.status != Status.CANCELLED or booking.cancelled_at is None:
        return None
    if booking.cancel_reason not in UNDOABLE:
        return None
    return booking.cancelled_at + UNDO_WINDOW


def undo_cancel(student: User, booking: Booking, *, now: datetime | None = None) -> Booking:
    """Take back a cancellation made a few minutes ago: the place (or the waiting-list position)
    comes back, as long as the place has not been offered to someone else meanwhile."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            session = lock_session(booking.session_id)
            booking = Booking.objects.select_for_update().get(pk=booking.pk)
            if booking.student_id != student.pk:
                raise SessionError("You can only undo your own cancellation.")
            deadline = undo_deadline(booking)
            if deadline is None:
                raise SessionError("There is no cancellation to undo for this session.")
            if now > deadline:
                raise SessionError(
                    "It is too late to undo this cancellation; book again if a place is free."
                )
            check_bookable(session, now)
            restored = UNDOABLE[booking.cancel_reason]
            if restored == Status.CONFIRMED and not (
                session.capacity is None or places_taken(session) < session.capacity
            ):
                raise SessionError(
                    "Sorry, your place has already been offered to the next person on the "
                    "waiting list. You can join the waiting list again."
                )
            booking.status = restored
            booking.cancelled_at = None
            booking.cancel_reason = ""
            booking.cancelled_late = False
            booking.save()
            fill_places(session, now=now)  # a waiting-list return may find a place free
            booking.refresh_from_db()
            return booking
    except IntegrityError as exc:  # booked again in another tab meanwhile
        raise SessionError("You already have a booking for this session.") from exc


def claim_offer(student: User, booking: Booking, *, now: datetime | None = None) -> Booking:
    """Accept an offered place before the offer runs out."""
    now = now or timezone.now()
    with transaction.atomic():
        session = lock_session(booking.session_id)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.student_id != student.pk:
            raise SessionError("This offer is for someone else.")
        if booking.status == Status.CONFIRMED:
            return booking
        if booking.status != Status.OFFERED:
            raise SessionError("There is no place on offer to you for this session.")
        if booking.offer_expires_at and booking.offer_expires_at <= now:
            raise SessionError("Sorry, this offer has run out and the place has passed on.")
        if session.status != TeachingSession.Status.PUBLISHED or session.starts_at <= now:
            raise SessionError("This session can no longer be booked.")
        booking.status = Status.CONFIRMED
        booking.confirmed_at = now
        booking.offer_expires_at = None
        booking.save()
        notify_confirmed(booking)
        return booking


def book_series(
    student: User, series: Series, *, now: datetime | None = None
) -> list[tuple[TeachingSession, Booking | None, str]]:
    """Book every upcoming session of a series; each outcome is reported, none blocks the rest."""
    if not series.bookable_as_whole:
        raise SessionError("This series can only be booked one session at a time.")
    now = now or timezone.now()
    sessions = series.sessions.filter(
        status=TeachingSession.Status.PUBLISHED, starts_at__gt=now
    ).order_by("starts_at")
    results = []
    for session in sessions:
        try:
            booking = book(student, session, now=now)
            results.append((session, booking, booking.get_status_display()))
        except SessionError as exc:
            results.append((session, None, str(exc)))
    return results
