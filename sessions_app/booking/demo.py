"""Demo bookings for the demo term: full sessions with queues, offers, attendance and the
demo student holding one of everything. Called by scheduling.demo once the sessions exist.

History (past sessions, who joined when) is written in bulk; everything that moves places on an
upcoming session goes through the services: cancellations are `cancel()`, which offers the
freed place, then `expire_offers` and `promote_waiting` run as the periodic runner would. So the
demo never holds a state the product would not reach (`waitlist.invariant_breaches` is empty):
no free place while people wait, never more confirmed than places, no offer past its time, and
no booking on a session whose booking has not opened.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from sessions_app.booking.models import Booking
from sessions_app.booking.services import cancel
from sessions_app.booking.waitlist import expire_offers, promote_waiting
from sessions_app.scheduling.models import TeachingSession

Status = Booking.Status


def seed_bookings(demo, sessions: list[TeachingSession], rng: random.Random) -> None:
    now = timezone.now()
    students_by_year: dict[str, list] = {}
    for s in demo.students:
        students_by_year.setdefault(s.year_of_study, []).append(s)
    rows = _demo_student_bookings(sessions, demo, now)
    taken = {(b.session_id, b.student_id) for b in rows}
    demo_queue = {b.session_id for b in rows if b.status in (Status.WAITING, Status.OFFERED)}
    to_cancel: list[Booking] = []
    for session in sessions:
        if session.status == TeachingSession.Status.DRAFT:
            continue
        if session.starts_at > now and session.bookability(now):
            continue  # booking has not opened: nobody can hold a place yet
        reserved = sum(1 for b in rows if b.session_id == session.pk and b.status != Status.WAITING)
        for row in _bookings(session, rng, students_by_year, demo, now, reserved):
            if (session.pk, row.student_id) not in taken:
                rows.append(row)
                upcoming = session.starts_at > now and session.is_published
                if (
                    upcoming
                    and row.status == Status.CONFIRMED
                    and session.pk not in demo_queue
                    and rng.random() < 0.08
                ):
                    to_cancel.append(row)
    Booking.objects.bulk_create(rows, batch_size=500)
    _make_consistent(demo, now)
    _cancel_some(to_cancel, rows, rng, now)
    # What the periodic runner does every minute: run-out offers pass on, free places are offered.
    expire_offers(now=now)
    promote_waiting(now=now)


def _cancel_some(to_cancel: list[Booking], rows: list[Booking], rng, now) -> None:
    """A few students give up their place, through the service that offers it on."""
    last_join: dict[int, object] = {}
    for row in rows:
        last_join[row.session_id] = max(last_join.get(row.session_id, row.joined_at), row.joined_at)
    for booking in to_cancel:
        when = max(
            last_join[booking.session_id] + timedelta(minutes=5),
            now - timedelta(hours=rng.randint(1, 30)),
        )
        cancel(booking.student, booking, now=min(when, now - timedelta(minutes=1)))


def _bookings(session, rng, students_by_year, demo, now, reserved=0) -> list[Booking]:
    years = [y.number for y in session.target_years.all()] or [3]
    pool = [s for y in years for s in students_by_year.get(str(y), []) if s != demo.student]
    rng.shuffle(pool)
    wanted = rng.randint(2, 14) if session.capacity != 60 else rng.randint(10, 40)
    chosen = pool[:wanted]
    past = session.ends_at <= now
    rows = []
    for n, student in enumerate(chosen):
        joined = session.booking_opens + timedelta(hours=n * 3 + rng.randint(0, 2))
        joined = min(joined, now - timedelta(minutes=n + 1))
        row = Booking(session=session, student=student, joined_at=joined)
        if session.capacity is None or n < session.capacity - reserved:
            row.status = Status.CONFIRMED
            row.confirmed_at = joined
            if past and session.status == TeachingSession.Status.PUBLISHED:
                row.attended = rng.random() < 0.85
                row.checked_in_at = (
                    session.starts_at + timedelta(minutes=2) if row.attended else None
                )
            elif past and rng.random() < 0.08:
                row.status = Status.CANCELLED
                row.cancelled_at = joined + timedelta(days=1)
                row.cancel_reason = "student"
        elif past:
            row.status = Status.CANCELLED
            row.cancelled_at = session.starts_at
            row.cancel_reason = "left_waitlist"
        else:
            row.status = Status.WAITING
        if session.status == TeachingSession.Status.CANCELLED:
            row.status = Status.CANCELLED
            row.cancelled_at = row.cancelled_at or session.starts_at - timedelta(days=2)
            row.cancel_reason = "session_cancelled"
            row.attended = None
            row.checked_in_at = None
        rows.append(row)
    return rows


def _demo_student_bookings(sessions, demo, now) -> list[Booking]:
    """The demo student (year 3) gets one of everything: attended, booked, waiting, offered."""
    mine = [
        s
        for s in sessions
        if s.status == TeachingSession.Status.PUBLISHED
        and any(y.number == 3 for y in s.target_years.all())
    ]
    past = [s for s in mine if s.ends_at <= now][-3:]
    future = [
        s for s in mine if s.starts_at > now + timedelta(days=1) and s.bookability(now) is None
    ]
    rows = []
    for n, s in enumerate(past):
        rows.append(
            Booking(
                session=s,
                student=demo.student,
                status=Status.CONFIRMED,
                attended=n != 1,
                joined_at=s.starts_at - timedelta(days=5),
                confirmed_at=s.starts_at - timedelta(days=5),
            )
        )
    for s in future[:3]:
        rows.append(
            Booking(
                session=s,
                student=demo.student,
                status=Status.CONFIRMED,
                joined_at=now - timedelta(days=2),
                confirmed_at=now - timedelta(days=2),
            )
        )
    small = [s for s in future[3:] if s.capacity and s.capacity <= 12]
    if len(small) >= 2:
        rows.append(
            Booking(
                session=small[0],
                student=demo.student,
                status=Status.WAITING,
                joined_at=now - timedelta(hours=5),
            )
        )
        rows.append(
            Booking(
                session=small[1],
                student=demo.student,
                status=Status.OFFERED,
                joined_at=now - timedelta(days=1),
                offered_at=now - timedelta(hours=1),
                offer_expires_at=now + timedelta(hours=11),
            )
        )
    return rows


def _make_consistent(demo, now) -> None:
    """Where the demo student waits, the session is full; where offered, a place is held."""
    for b in Booking.objects.filter(
        student=demo.student, status__in=[Status.WAITING, Status.OFFERED]
    ):
        s = b.session
        confirmed = Booking.objects.filter(session=s, status=Status.CONFIRMED)
        if b.status == Status.WAITING:
            short = max(s.capacity - confirmed.count(), 0)
            booked = set(Booking.objects.filter(session=s).values_list("student_id", flat=True))
            extra = [u for u in demo.students if u.pk not in booked and u != demo.student][:short]
            Booking.objects.bulk_create(
                Booking(
                    session=s,
                    student=u,
                    status=Status.CONFIRMED,
                    joined_at=now - timedelta(days=3),
                    confirmed_at=now - timedelta(days=3),
                )
                for u in extra
            )
        else:
            # Nobody queues ahead of the student's offer, and the offer holds a real place.
            Booking.objects.filter(
                session=s, status=Status.WAITING, joined_at__lt=b.joined_at
            ).update(joined_at=b.joined_at + timedelta(minutes=1))
            over = confirmed.count() + 1 - s.capacity
            for victim in list(confirmed.order_by("-joined_at")[: max(over, 0)]):
                victim.status = Status.CANCELLED
                victim.cancelled_at = now - timedelta(hours=1)
                victim.cancel_reason = "student"
                victim.save()
