"""Demo data: a term of teaching around today (past and future, every kind and delivery),
with bookings, waiting lists, offers and attendance. Called by `manage.py seed_demo`.

Deterministic (fixed seed, times from today's date) and idempotent (skips when the marker
series exists).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from meded.models import Topic
from sessions_app.models import Booking, Series, TeachingSession

MARKER = "Year 3 Cardiology lecture series"
SEED = 5005
N_SESSIONS = 120
FIRST_DAY = -42  # days from today
VENUES = ["Lecture Theatre 1", "Lecture Theatre 2", "Clinical Skills Lab", "Seminar Room 3.01"]
KINDS = list(TeachingSession.Kind.values)
DELIVERIES = list(TeachingSession.Delivery.values)
CODE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
Status = Booking.Status


def _day(anchor_date, offset: int, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(anchor_date + timedelta(days=offset), time(hour)))


def _session(i, rng, topics, demo, series_by_module, today) -> TeachingSession:
    topic = topics[i % len(topics)]
    kind = KINDS[i % len(KINDS)]
    delivery = DELIVERIES[(i // len(KINDS)) % len(DELIVERIES)]
    offset = FIRST_DAY + (i * 98) // N_SESSIONS
    starts = _day(today, offset, [13, 16, 18][i % 3])
    minutes = {"mock_exam": 120, "clinical_skills": 90}.get(kind, 60)
    capacity = {
        "lecture": None if i % 4 == 0 else 60,
        "tutorial": 4 if i % 3 == 0 else 12,
        "clinical_skills": 6,
        "mock_exam": 30,
        "workshop": 10,
    }[kind]
    in_person = delivery != TeachingSession.Delivery.ONLINE
    online = delivery != TeachingSession.Delivery.IN_PERSON
    status = TeachingSession.Status.PUBLISHED
    if offset > 40 and i % 10 == 0:
        status = TeachingSession.Status.DRAFT
    if i in (17, 83):
        status = TeachingSession.Status.CANCELLED
    session = TeachingSession.objects.create(
        title=f"{topic.title} ({TeachingSession.Kind(kind).label.lower()})",
        description=topic.description or f"Near-peer teaching on {topic.title}.",
        topic=topic,
        series=series_by_module.get(topic.module_id) if kind == "lecture" else None,
        kind=kind,
        delivery=delivery,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=minutes),
        venue=VENUES[i % len(VENUES)] if in_person else "",
        join_link=f"https://meet.demo.meded.test/s{i:03d}" if online else "",
        capacity=capacity,
        booking_opens=starts - timedelta(days=21),
        status=status,
        checkin_code="".join(rng.choice(CODE_CHARS) for _ in range(6)),
        auto_confirm_waitlist=i % 7 == 0,
        sequence=1 if status != TeachingSession.Status.DRAFT else 0,
    )
    session.target_years.set(topic.years.all())
    tutors = [demo.tutor] if i % 6 == 0 else [demo.tutors[1 + (i % (len(demo.tutors) - 1))]]
    if kind in ("clinical_skills", "mock_exam"):
        tutors.append(demo.tutors[1 + ((i * 7) % (len(demo.tutors) - 1))])
    session.tutors.set(set(tutors))
    return session


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
            elif rng.random() < 0.08:
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
    future = [s for s in mine if s.starts_at > now + timedelta(days=1)]
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


def seed(demo) -> None:
    if not Series.objects.filter(title=MARKER).exists():
        seed_sessions(demo)
    try:
        from sessions_app.demo_resources import seed_resources
    except ImportError:
        return
    seed_resources(demo)


def seed_sessions(demo) -> None:
    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate()
    topics = list(Topic.objects.select_related("module").order_by("code"))
    if not topics or not demo.tutors:
        return
    rng.shuffle(topics)
    cardio = next((t for t in topics if t.code.startswith("CARD")), topics[0])
    topics.remove(cardio)
    topics.insert(0, cardio)
    marker = Series.objects.create(
        title=MARKER,
        description="Weekly lectures through the cardiology block.",
        bookable_as_whole=True,
    )
    series_by_module = {cardio.module_id: marker}
    for t in topics[1:40]:
        if t.module_id not in series_by_module and len(series_by_module) < 5:
            series_by_module[t.module_id] = Series.objects.create(
                title=f"{t.module.name} lecture series"
            )
    sessions = [_session(i, rng, topics, demo, series_by_module, today) for i in range(N_SESSIONS)]
    students_by_year: dict[str, list] = {}
    for s in demo.students:
        students_by_year.setdefault(s.year_of_study, []).append(s)
    rows = _demo_student_bookings(sessions, demo, now)
    taken = {(b.session_id, b.student_id) for b in rows}
    for session in sessions:
        if session.status == TeachingSession.Status.DRAFT:
            continue
        reserved = sum(1 for b in rows if b.session_id == session.pk and b.status != Status.WAITING)
        for row in _bookings(session, rng, students_by_year, demo, now, reserved):
            if (session.pk, row.student_id) not in taken:
                rows.append(row)
    Booking.objects.bulk_create(rows, batch_size=500)
    _make_consistent(demo, now)


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
