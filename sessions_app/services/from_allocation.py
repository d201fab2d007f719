"""Draft sessions for a published tutor allocation: one per allocated topic, tutors filled in.

The tutors app owns allocations; `allocated_topics` is the one adapter that reads them, using
`tutors.selectors_allocation.published_allocation(round)` when it exists and the published
AllocationRun's pairs otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from meded.models import Topic, User
from sessions_app.models import TeachingSession

from . import SessionError
from .scheduling import new_checkin_code

KINDS = {k.value for k in TeachingSession.Kind}


@dataclass
class AllocatedTopicRow:
    topic: Topic
    kind: str
    tutors: list[User] = field(default_factory=list)


def allocated_topics(round) -> list[AllocatedTopicRow]:
    """Topic -> tutors of the round's published allocation, from whatever the tutors app offers."""
    from tutors.models import AllocatedTopic

    pairs = (
        AllocatedTopic.objects.filter(run__round=round, run__is_published=True)
        .select_related("offering__topic__module", "tutor")
        .order_by("offering__topic__code", "tutor__full_name")
    )
    rows: dict[int, AllocatedTopicRow] = {}
    for pair in pairs:
        offering = pair.offering
        kind = offering.format if offering.format in KINDS else TeachingSession.Kind.LECTURE
        row = rows.setdefault(offering.pk, AllocatedTopicRow(offering.topic, kind))
        row.tutors.append(pair.tutor)
    return list(rows.values())


def create_sessions_for_allocation(
    round, *, first_day: datetime.date, start_time: time = time(18, 0), minutes: int = 60
) -> list[TeachingSession]:
    """One draft per allocated topic without a session yet, one evening each from first_day."""
    rows = allocated_topics(round)
    if not rows:
        raise SessionError("This round has no published allocation yet.")
    tz = timezone.get_current_timezone()
    created = []
    with transaction.atomic():
        existing = set(
            TeachingSession.objects.filter(topic__in=[r.topic for r in rows]).values_list(
                "topic_id", flat=True
            )
        )
        day = first_day
        for row in rows:
            if row.topic.pk in existing:
                continue
            while day.weekday() >= 5:  # weekday evenings
                day += timedelta(days=1)
            starts = datetime.combine(day, start_time, tzinfo=tz)
            session = TeachingSession.objects.create(
                title=row.topic.title,
                topic=row.topic,
                kind=row.kind,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=minutes),
                status=TeachingSession.Status.DRAFT,
                checkin_code=new_checkin_code(),
            )
            session.tutors.set(row.tutors)
            session.target_years.set(row.topic.years.all())
            created.append(session)
            day += timedelta(days=1)
    return created
