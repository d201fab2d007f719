"""The committee's scheduling: save with clash warnings, publish, change, cancel, duplicate.

The rules a session must meet to be booked (a venue for in-person teaching, a join link for
online teaching, a booking window that closes by the start) live here once: the committee's
form checks them through `session_problems`, and `publish` checks them again, so a draft made
from an allocation cannot reach members without a place to go.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from meded.models import User, Year
from meded.notifications import notify, register_kind
from sessions_app.booking.calendar import ics_attachment
from sessions_app.booking.models import ActiveBookingStatuses, Booking
from sessions_app.booking.waitlist import fill_places
from sessions_app.errors import SessionError
from sessions_app.scheduling.from_allocation import allocated_for_topic
from sessions_app.scheduling.models import (
    Series,
    SessionChange,
    TeachingSession,
    new_checkin_code,
)

register_kind("session_changed", "The time or place of a session you booked has changed.")
register_kind("session_cancelled", "A session you booked or were waiting for is cancelled.")

# Changing any of these means booked students must hear about it (and calendars update).
NOTIFY_FIELDS = ("starts_at", "ends_at", "venue", "join_link", "delivery", "title")


@dataclass(frozen=True)
class Clash:
    kind: str  # tutor, venue, year
    message: str
    other: TeachingSession


def session_problems(
    *,
    starts_at: datetime | None,
    delivery: str,
    venue: str,
    join_link: str,
    booking_opens: datetime | None,
    booking_closes: datetime | None,
) -> list[SessionError]:
    """What stops a session from being taught as planned; each refusal names its field."""
    problems = []
    if delivery in ("in_person", "hybrid") and not venue:
        problems.append(SessionError("Give a venue for in-person or hybrid teaching.", "venue"))
    if delivery in ("online", "hybrid") and not join_link:
        problems.append(
            SessionError("Give a join link for online or hybrid teaching.", "join_link")
        )
    if booking_opens and booking_closes and booking_closes <= booking_opens:
        problems.append(SessionError("Booking must close after it opens.", "booking_closes"))
    if booking_closes and starts_at and booking_closes > starts_at:
        problems.append(
            SessionError("Booking must close by the time the session starts.", "booking_closes")
        )
    return problems


def problems_of(session: TeachingSession) -> list[SessionError]:
    return session_problems(
        starts_at=session.starts_at,
        delivery=session.delivery,
        venue=session.venue,
        join_link=session.join_link,
        booking_opens=session.booking_opens,
        booking_closes=session.booking_closes,
    )


def find_clashes(
    *,
    starts_at: datetime,
    ends_at: datetime,
    venue: str,
    tutor_ids: list[int],
    year_ids: list[int],
    exclude_pk: int | None = None,
) -> list[Clash]:
    """Sessions that overlap in time and share a tutor, a venue or a target year group.

    A session with no target years is for every year, so it shares its time with each year
    group the other session targets (two every-year sessions target no group in particular).
    """
    overlapping = (
        TeachingSession.objects.exclude(status=TeachingSession.Status.CANCELLED)
        .filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(pk=exclude_pk)
        .prefetch_related("tutors", "target_years")
    )
    clashes: list[Clash] = []
    my_years = list(Year.objects.filter(pk__in=year_ids)) if year_ids else []
    venue_key = venue.strip().lower()
    for other in overlapping:
        when = timezone.localtime(other.starts_at).strftime("%a %d %b %H:%M")
        shared_tutors = [t for t in other.tutors.all() if t.pk in set(tutor_ids)]
        for tutor in shared_tutors:
            clashes.append(Clash("tutor", f"{tutor} also teaches “{other}” ({when}).", other))
        if venue_key and other.venue.strip().lower() == venue_key:
            clashes.append(
                Clash("venue", f"{other.venue} is already booked for “{other}” ({when}).", other)
            )
        other_years = list(other.target_years.all())
        if not year_ids:
            shared_years = other_years
        elif not other_years:
            shared_years = my_years
        else:
            shared_years = [y for y in other_years if y.pk in set(year_ids)]
        for y in shared_years:
            clashes.append(
                Clash("year", f"{y} already has “{other}” at that time ({when}).", other)
            )
    return clashes


def clashes_for(session: TeachingSession) -> list[Clash]:
    return find_clashes(
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        venue=session.venue,
        tutor_ids=[t.pk for t in session.tutors.all()],
        year_ids=[y.pk for y in session.target_years.all()],
        exclude_pk=session.pk,
    )


def save_session(
    session: TeachingSession,
    *,
    tutors: list[User],
    target_years: list,
    previous: dict | None = None,
    new_series: str = "",
    new_series_bookable: bool = False,
    actor: User | None = None,
) -> TeachingSession | SessionChange:
    """Create or update a session; booked students hear about changes that matter to them.

    new_series names a series to create and put the session in, in the same transaction.
    An edit that would email several people (a new time for everyone booked, new places for
    the waiting list) is not saved here: it is held as a `SessionChange` for the
    "sessions.change_session" mass action (preview, confirm, undo), and returned.
    """
    problems = problems_of(session)
    if problems:
        raise problems[0]
    if session.pk and previous is not None:
        from sessions_app.scheduling.changes import hold_if_several

        held = hold_if_several(
            actor, session, tutors, target_years, new_series, new_series_bookable
        )
        if held is not None:
            return held
    return store_session(
        session,
        tutors=tutors,
        target_years=target_years,
        previous=previous,
        new_series=new_series,
        new_series_bookable=new_series_bookable,
    )[0]


def store_session(
    session: TeachingSession,
    *,
    tutors: list[User],
    target_years: list,
    previous: dict | None,
    new_series: str = "",
    new_series_bookable: bool = False,
    quiet: bool = False,
) -> tuple[TeachingSession, list[Booking]]:
    """Write the session; returns it and the waiting-list bookings given places.

    quiet: the emails are the caller's (the mass action holds them for its undo window)."""
    with transaction.atomic():
        if new_series:
            session.series = Series.objects.create(
                title=new_series, bookable_as_whole=new_series_bookable
            )
        if session.pk is None and not tutors and session.topic_id:
            tutors = tutors_from_allocation(session)
        if not session.checkin_code:
            session.checkin_code = new_checkin_code()
        changed = [f for f in NOTIFY_FIELDS if previous and previous.get(f) != getattr(session, f)]
        if session.pk:
            session.sequence += 1
        session.save()
        session.tutors.set(tutors)
        session.target_years.set(target_years)
        moved: list[Booking] = []
        if session.pk and session.status == TeachingSession.Status.PUBLISHED:
            locked = TeachingSession.objects.select_for_update().get(pk=session.pk)
            if changed and not quiet:
                notify_change(locked, changed)
            moved = fill_places(locked, quiet=quiet)  # more capacity frees places for the queue
        return session, moved


def tutors_from_allocation(session: TeachingSession) -> list[User]:
    """A new session on an allocated topic takes that topic's tutors (the committee can edit)."""
    row = allocated_for_topic(session.topic)
    if row is None:
        return []
    session.offering_id = session.offering_id or row.offering_id
    return row.tutors


def notify_change(session: TeachingSession, changed: list[str]) -> None:
    """Booked students (and those holding an offer) hear of a new time or place; a confirmed
    place gets the updated calendar entry."""
    for booking in session.bookings.filter(
        status__in=(Booking.Status.CONFIRMED, Booking.Status.OFFERED)
    ).select_related("student"):
        confirmed = booking.status == Booking.Status.CONFIRMED
        notify(
            booking.student,
            "session_changed",
            f"sessions_app.booking:{booking.pk}:seq{session.sequence}",
            {"booking": booking, "session": session, "changed": changed},
            attachments=ics_attachment(booking) if confirmed else None,
        )


def publish(session: TeachingSession) -> TeachingSession:
    with transaction.atomic():
        session = TeachingSession.objects.select_for_update().get(pk=session.pk)
        if session.status == TeachingSession.Status.CANCELLED:
            raise SessionError("A cancelled session cannot be published; duplicate it instead.")
        if session.status == TeachingSession.Status.PUBLISHED:
            return session
        problems = problems_of(session)
        if problems:
            raise problems[0]
        session.status = TeachingSession.Status.PUBLISHED
        session.sequence += 1
        session.save(update_fields=["status", "sequence", "updated"])
        return session


def cancel_session(session: TeachingSession, *, now: datetime | None = None) -> int:
    """Cancel the session; bookings stay as history. Returns how many were booked or waiting.

    It writes no email: the committee cancels a session people hold places on through the
    "sessions.cancel_session" mass action (scheduling/mailings.py), which previews their
    emails, calls this inside its confirming transaction and holds the emails for the undo
    window.
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = TeachingSession.objects.select_for_update().get(pk=session.pk)
        if session.status == TeachingSession.Status.CANCELLED:
            raise SessionError("This session is already cancelled.")
        session.status = TeachingSession.Status.CANCELLED
        session.sequence += 1
        session.save(update_fields=["status", "sequence", "updated"])
        affected = list(
            session.bookings.filter(status__in=ActiveBookingStatuses).select_related("student")
        )
        for booking in affected:
            booking.status = Booking.Status.CANCELLED
            booking.cancelled_at = now
            booking.cancel_reason = "session_cancelled"
            booking.offer_expires_at = None
            booking.save(
                update_fields=[
                    "status",
                    "cancelled_at",
                    "cancel_reason",
                    "offer_expires_at",
                    "updated",
                ]
            )
        return len(affected)


def duplicate(session: TeachingSession, *, days: int = 7) -> TeachingSession:
    """A draft copy a week later (same tutors, years, place), for repeating teaching."""
    with transaction.atomic():
        tutors = list(session.tutors.all())
        years = list(session.target_years.all())
        copy = TeachingSession.objects.get(pk=session.pk)
        copy.pk = None
        copy.id = None
        copy._state.adding = True
        copy.status = TeachingSession.Status.DRAFT
        copy.sequence = 0
        copy.starts_at = session.starts_at + timedelta(days=days)
        copy.ends_at = session.ends_at + timedelta(days=days)
        shift = timedelta(days=days)
        copy.booking_opens = session.booking_opens + shift if session.booking_opens else None
        copy.booking_closes = session.booking_closes + shift if session.booking_closes else None
        copy.checkin_code = new_checkin_code()
        copy.save()
        copy.tutors.set(tutors)
        copy.target_years.set(years)
        return copy


def upcoming_for_tutor(tutor: User, now: datetime | None = None):
    now = now or timezone.now()
    return TeachingSession.objects.filter(tutors=tutor, ends_at__gt=now).exclude(
        status=TeachingSession.Status.CANCELLED
    )
