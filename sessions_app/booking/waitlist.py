"""The fair waiting list: first come, first offered; an offer must be claimed in time.

Order is the time a student joined. When places free up (a cancellation, a declined or expired
offer, more capacity) the next people in order are offered them, or confirmed at once when the
session auto-confirms. An offer runs for MEDED_WAITLIST_CLAIM_HOURS, cut short so it ends
before the session starts. A cancelled or expired booking is never active again, so nobody is
offered the same place twice; rejoining puts a student at the back.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from meded.notifications import notify, register_kind
from sessions_app.booking.calendar import ics_attachment
from sessions_app.booking.models import Booking
from sessions_app.scheduling.models import TeachingSession

Status = Booking.Status

register_kind("booking_confirmed", "Your place on a teaching session is confirmed.")
# Transactional: the member asked for the place by joining the list, and an offer they never
# see would silently pass their place on.
register_kind("waitlist_offer", "A place has come up for a session you are waiting for.")


def notify_confirmed(booking: Booking, *, promoted: bool = False) -> None:
    """The confirmation email, with the session as a calendar file to add."""
    notify(
        booking.student,
        "booking_confirmed",
        booking,
        {"booking": booking, "session": booking.session, "promoted": promoted},
        attachments=ics_attachment(booking),
    )


def notify_offer(booking: Booking) -> None:
    """The offer email: the claim link and the deadline; undelivered past the deadline."""
    notify(
        booking.student,
        "waitlist_offer",
        f"sessions_app.booking:{booking.pk}:offer",
        {"booking": booking, "session": booking.session, "deadline": booking.offer_expires_at},
        deliver_before=booking.offer_expires_at,
    )


# What holds one of a session's places: a confirmed booking, or an open offer of one.
TAKING_A_PLACE = (Status.CONFIRMED, Status.OFFERED)


def places_taken(session: TeachingSession) -> int:
    """Confirmed places plus places held by an open offer."""
    return Booking.objects.filter(session=session, status__in=TAKING_A_PLACE).count()


def claim_deadline(session: TeachingSession, now: datetime) -> datetime:
    return min(now + timedelta(hours=settings.MEDED_WAITLIST_CLAIM_HOURS), session.starts_at)


def waiting_head(session: TeachingSession, now: datetime) -> list[Booking]:
    """Who the free places go to now, in order (nobody before publication or after the start)."""
    if session.status != TeachingSession.Status.PUBLISHED or session.starts_at <= now:
        return []
    queue = Booking.objects.filter(session=session, status=Status.WAITING).order_by(
        "joined_at", "id"
    )
    unlimited = session.capacity is None
    free = queue.count() if unlimited else session.capacity - places_taken(session)
    return list(queue.select_related("student")[: max(free, 0)])


def fill_places(
    session: TeachingSession, *, now: datetime | None = None, quiet: bool = False
) -> list[Booking]:
    """Offer (or give) free places to the head of the queue. Caller holds the session row lock.

    quiet: the emails are the caller's (a mass action that previewed them and holds them)."""
    now = now or timezone.now()
    moved = []
    for booking in waiting_head(session, now):
        if session.auto_confirm_waitlist:
            booking.status = Status.CONFIRMED
            booking.confirmed_at = now
            booking.save(update_fields=["status", "confirmed_at", "updated"])
            if not quiet:
                notify_confirmed(booking, promoted=True)
        else:
            booking.status = Status.OFFERED
            booking.offered_at = now
            booking.offer_expires_at = claim_deadline(session, now)
            booking.save(update_fields=["status", "offered_at", "offer_expires_at", "updated"])
            if not quiet:
                notify_offer(booking)
        moved.append(booking)
    return moved


def expire_offer(booking: Booking, now: datetime) -> None:
    booking.status = Status.CANCELLED
    booking.cancelled_at = now
    booking.cancel_reason = "offer_expired"
    booking.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated"])


def expire_offers(*, now: datetime | None = None, **signal_kwargs) -> int:
    """Pass every run-out offer to the next person. Safe to run again: derives from the DB.

    A `periodic_task` receiver (and a beat task): the waiting list keeps its own clock.
    """
    now = now or timezone.now()
    session_ids = set(
        Booking.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now).values_list(
            "session_id", flat=True
        )
    )
    expired = 0
    for session_id in sorted(session_ids):
        with transaction.atomic():
            session = TeachingSession.objects.select_for_update().get(pk=session_id)
            stale = Booking.objects.select_for_update().filter(
                session=session, status=Status.OFFERED, offer_expires_at__lte=now
            )
            for booking in stale:
                expire_offer(booking, now)
                expired += 1
            fill_places(session, now=now)
    return expired


def promote_waiting(*, now: datetime | None = None, **signal_kwargs) -> int:
    """Catch-up: offer free places on any upcoming session that has people waiting.

    Normally the cancellation itself fills the place; this covers capacity edited in the admin
    and any run that failed half way.
    """
    now = now or timezone.now()
    session_ids = (
        Booking.objects.filter(
            status=Status.WAITING,
            session__status=TeachingSession.Status.PUBLISHED,
            session__starts_at__gt=now,
        )
        .values_list("session_id", flat=True)
        .distinct()
    )
    moved = 0
    for session_id in sorted(set(session_ids)):
        with transaction.atomic():
            session = TeachingSession.objects.select_for_update().get(pk=session_id)
            moved += len(fill_places(session, now=now))
    return moved


def waiting_position(booking: Booking) -> int | None:
    if booking.status != Status.WAITING:
        return None
    ahead = Booking.objects.filter(
        session_id=booking.session_id, status=Status.WAITING, joined_at__lt=booking.joined_at
    ).count()
    same_time = Booking.objects.filter(
        session_id=booking.session_id,
        status=Status.WAITING,
        joined_at=booking.joined_at,
        id__lt=booking.id,
    ).count()
    return ahead + same_time + 1


def invariant_breaches(*, now: datetime | None = None) -> list[str]:
    """Every upcoming published session's waiting list as the product keeps it, else a line per
    breach: more places taken than exist, a free place while people wait (and no open offer
    holds it), an offer past its time, a booking on a session whose booking has not opened.
    For seed_demo's test and a shell check after hand edits; one query per rule."""
    from django.db.models import Count, Q

    now = now or timezone.now()
    upcoming = TeachingSession.objects.filter(
        status=TeachingSession.Status.PUBLISHED, starts_at__gt=now
    ).annotate(
        taken=Count("bookings", filter=Q(bookings__status__in=[Status.CONFIRMED, Status.OFFERED])),
        waiting=Count("bookings", filter=Q(bookings__status=Status.WAITING)),
        stale=Count(
            "bookings",
            filter=Q(bookings__status=Status.OFFERED, bookings__offer_expires_at__lte=now),
        ),
        active=Count("bookings", filter=~Q(bookings__status=Status.CANCELLED)),
    )
    breaches = []
    for s in upcoming:
        label = f"session {s.pk} ({s.title})"
        if s.capacity is not None and s.taken > s.capacity:
            breaches.append(f"{label}: {s.taken} places taken of {s.capacity}")
        if s.waiting and (s.capacity is None or s.taken < s.capacity):
            breaches.append(f"{label}: a free place while {s.waiting} wait")
        if s.stale:
            breaches.append(f"{label}: {s.stale} offer(s) past their time")
        if s.active and s.booking_opens and now < s.booking_opens:
            breaches.append(f"{label}: {s.active} booking(s) before booking opens")
    return breaches
