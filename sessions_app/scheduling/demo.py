"""Demo data: a term of teaching around today (past and future, every kind and delivery);
booking.demo adds the bookings, waiting lists, offers and attendance. A `seed_demo` receiver.

Deterministic (fixed seed, times from today's date) and idempotent (skips when the marker
series exists).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from meded.models import Topic
from sessions_app.booking.demo import seed_bookings
from sessions_app.errors import SessionError
from sessions_app.scheduling.models import Series, TeachingSession

MARKER = "Year 3 Cardiology lecture series"
SEED = 5005
N_SESSIONS = 120
FIRST_DAY = -42  # days from today
VENUES = ["Lecture Theatre 1", "Lecture Theatre 2", "Clinical Skills Lab", "Seminar Room 3.01"]
KINDS = list(TeachingSession.Kind.values)
DELIVERIES = list(TeachingSession.Delivery.values)
# Titles as the society writes them on its posters.
TITLES = {
    "lecture": "{topic} lecture",
    "tutorial": "{topic}: small-group tutorial",
    "clinical_skills": "OSCE practice: {topic}",
    "mock_exam": "Mock exam: {topic}",
    "workshop": "Teaching-skills workshop: {topic}",
}
CODE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


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
        title=TITLES[kind].format(topic=topic.title),
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


def seed_sessions(demo, **signal_kwargs) -> None:
    """A `seed_demo` receiver: the term's sessions, then their bookings; skipped once done."""
    if Series.objects.filter(title=MARKER).exists():
        return
    rng = random.Random(SEED)
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
    seed_bookings(demo, sessions, rng)


SLOT_ROOMS = ("Seminar Room 2.14", "Seminar Room 2.15")


def seed_teaching_slots(demo, **signal_kwargs) -> None:
    """A `seed_demo` receiver (after availability): the published round's teaching slots, two
    rooms on weekday evenings for four weeks, released, and about a third picked by tutors
    through the same service as the page. Skipped once the round has slots."""
    from sessions_app.scheduling import slots
    from tutors.models import RecruitmentRound

    round = (
        RecruitmentRound.objects.filter(allocation_runs__is_published=True)
        .order_by("-ranking_closes")
        .first()
    )
    if round is None or round.teaching_slots.exists():
        return
    first = timezone.localdate() + timedelta(days=14)
    first -= timedelta(days=first.weekday())  # a Monday
    for offset in range(5):
        for room in SLOT_ROOMS:
            slots.add_slots(
                round,
                day=first + timedelta(days=offset),
                start=time(19),
                end=time(20),
                venue=room,
                weeks=4,
            )
    slots.release(round, timezone.now() + timedelta(days=10), demo.chair)
    tutors = {t.pk: t for r in slots.allocated_topics(round) for t in r.tutors}
    for i, tutor in enumerate(sorted(tutors.values(), key=lambda t: t.email)):
        if i % 3 or tutor == demo.tutor:
            continue  # the demo tutor still has a date to pick
        for choice in slots.choices_for(tutor, round):
            if choice.session is None and choice.options:
                try:
                    slots.pick_slot(tutor, choice.options[0].pk, choice.row.offering_id)
                except SessionError:
                    continue
