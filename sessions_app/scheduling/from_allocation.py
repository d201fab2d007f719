"""Draft sessions for a published tutor allocation: one per allocated topic, tutors filled in.

The tutors app owns allocations; `allocated_topics`, `allocated_offering_ids` and
`allocated_for_topic` are the one adapter that reads them (the published AllocationRun's pairs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from meded.models import Topic, User
from meded.prepared import Prepared
from sessions_app.errors import SessionError
from sessions_app.scheduling.models import TeachingSession, new_checkin_code
from tutors.models import AllocatedTopic

KINDS = {k.value for k in TeachingSession.Kind}


@dataclass
class AllocatedTopicRow:
    topic: Topic
    kind: str
    tutors: list[User] = field(default_factory=list)
    offering_id: int | None = None


def _rows(pairs) -> list[AllocatedTopicRow]:
    rows: dict[int, AllocatedTopicRow] = {}
    for pair in pairs:
        offering = pair.offering
        kind = offering.format if offering.format in KINDS else TeachingSession.Kind.LECTURE
        row = rows.setdefault(
            offering.pk, AllocatedTopicRow(offering.topic, kind, offering_id=offering.pk)
        )
        row.tutors.append(pair.tutor)
    return list(rows.values())


def allocated_topics(round, tutor=None) -> list[AllocatedTopicRow]:
    """Topic -> tutors of the round's published allocation (`tutor`: only the topics they
    teach, with their co-tutors: a tutor's page reads their own few rows, not the round's)."""
    if tutor is not None:
        return _tutor_rows(round.pk, tutor.pk)
    pairs = AllocatedTopic.objects.filter(run__round=round, run__is_published=True)
    pairs = pairs.select_related("offering__topic__module", "tutor").order_by(
        "offering__topic__code", "tutor__full_name"
    )
    return _rows(pairs)


def _tutor_pairs(round_pk: int, tutor_pk: int):
    pairs = AllocatedTopic.objects.filter(run__round_id=round_pk, run__is_published=True)
    mine = pairs.filter(tutor_id=tutor_pk).values("offering")
    return (
        pairs.filter(offering__in=mine)
        .order_by("offering__topic__code", "tutor__full_name")
        .values_list(
            *("offering_id", "offering__format", "offering__topic_id", "offering__topic__code"),
            *("offering__topic__title", "offering__topic__module_id", "tutor_id"),
            *("tutor__full_name", "tutor__email", "tutor__erased_at"),
        )
    )


# A tutor's teaching dates page reads this on every cold visit: compiled once per process.
_TUTOR_PAIRS = Prepared(_tutor_pairs, 2)


def _tutor_rows(round_pk: int, tutor_pk: int) -> list[AllocatedTopicRow]:
    rows: dict[int, AllocatedTopicRow] = {}
    for offering_id, fmt, topic_id, code, title, module_id, *tutor in _TUTOR_PAIRS.converted_rows(
        round_pk, tutor_pk
    ):
        kind = fmt if fmt in KINDS else TeachingSession.Kind.LECTURE
        topic = Topic(pk=topic_id, code=code, title=title, module_id=module_id)
        row = rows.setdefault(offering_id, AllocatedTopicRow(topic, kind, offering_id=offering_id))
        user_pk, name, email, erased = tutor
        row.tutors.append(User(pk=user_pk, full_name=name, email=email, erased_at=erased))
    return list(rows.values())


def allocated_offering_ids(round) -> set[int]:
    """The offerings of the round's published allocation (`allocated_topics`' rows, by id)."""
    return set(
        AllocatedTopic.objects.filter(run__round=round, run__is_published=True).values_list(
            "offering_id", flat=True
        )
    )


def allocated_for_topic(topic: Topic) -> AllocatedTopicRow | None:
    """The topic's tutors in the most recent published allocation, if it was allocated."""
    latest = (
        AllocatedTopic.objects.filter(run__is_published=True, offering__topic=topic)
        .order_by("-run__created_at", "-run_id")
        .values_list("run_id", flat=True)
        .first()
    )
    if latest is None:
        return None
    pairs = (
        AllocatedTopic.objects.filter(run_id=latest, offering__topic=topic)
        .select_related("offering__topic", "tutor")
        .order_by("tutor__full_name")
    )
    rows = _rows(pairs)
    return rows[0] if rows else None


def draft_session(
    row: AllocatedTopicRow, starts: datetime, ends: datetime, venue: str = ""
) -> TeachingSession:
    """The draft session of one allocated topic, its tutors and year groups filled in."""
    session = TeachingSession.objects.create(
        title=row.topic.title,
        topic=row.topic,
        offering_id=row.offering_id,
        kind=row.kind,
        starts_at=starts,
        ends_at=ends,
        venue=venue,
        status=TeachingSession.Status.DRAFT,
        checkin_code=new_checkin_code(),
    )
    session.tutors.set(row.tutors)
    session.target_years.set(row.topic.years.all())
    return session


def create_sessions_for_allocation(
    round, *, first_day: datetime.date, start_time: time = time(18, 0), minutes: int = 60
) -> list[TeachingSession]:
    """One draft per allocated topic of this round without a session yet, one evening each.

    Running it again adds only topics still missing; last year's sessions on the same topic do
    not count, because each session remembers the round's offering it was scheduled from.
    Once the committee has released teaching slots for the round, tutors pick their dates
    from those instead (scheduling/slots.py), and this placement is refused.
    """
    rows = allocated_topics(round)
    if not rows:
        raise SessionError("This round has no published allocation yet.")
    if round.teaching_slots.exists():
        raise SessionError(
            "This round has teaching slots: tutors pick their dates from them, and after the "
            "deadline the remaining topics are placed from the teaching dates page."
        )
    tz = timezone.get_current_timezone()
    created = []
    with transaction.atomic():
        existing = set(
            TeachingSession.objects.filter(
                offering_id__in=[r.offering_id for r in rows]
            ).values_list("offering_id", flat=True)
        )
        day = first_day
        for row in rows:
            if row.offering_id in existing:
                continue
            while day.weekday() >= 5:  # weekday evenings
                day += timedelta(days=1)
            starts = datetime.combine(day, start_time, tzinfo=tz)
            created.append(draft_session(row, starts, starts + timedelta(minutes=minutes)))
            day += timedelta(days=1)
    return created


def move_tutors(changes: list[tuple[int, int, int]], **signal_kwargs) -> None:
    """An `allocation_changed` receiver: a tutor whose topic changed leaves the draft sessions
    of the topic they gave up and joins those of the topic they took (all leave first, so a
    swap cycle never drops anyone)."""
    drafts = TeachingSession.objects.filter(status=TeachingSession.Status.DRAFT)
    for tutor_id, old, _new in changes:
        for session in drafts.filter(offering_id=old):
            session.tutors.remove(tutor_id)
    for tutor_id, _old, new in changes:
        for session in drafts.filter(offering_id=new):
            session.tutors.add(tutor_id)
