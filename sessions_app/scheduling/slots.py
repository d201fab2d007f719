"""Teaching slots: the committee releases dates and rooms, tutors pick theirs, the engine places
the rest.

After an allocation is published the committee adds slots (a date, start, end and room, or the
same evening weekly) and sets a deadline. Until then each tutor picks, for each allocated topic,
a free slot that fits their availability (and their co-tutors'): first come first served under
a row lock on the slot, refused when it clashes with another session of a tutor, the room or
the topic's year group. Picking creates the topic's draft session (from_allocation.py). After
the deadline `slot_engine.propose` places what is left, deterministically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from meded.models import Topic
from meded.prepared import Prepared, PreparedForIds
from sessions_app.errors import SessionError
from sessions_app.scheduling import slot_engine
from sessions_app.scheduling.from_allocation import (
    AllocatedTopicRow,
    allocated_offering_ids,
    allocated_topics,
    draft_session,
)
from sessions_app.scheduling.models import SlotRelease, TeachingSession, TeachingSlot
from sessions_app.scheduling.services import find_clashes
from sessions_app.smallgroups.models import AvailabilityException, WeeklyAvailability
from tutors.models import Offering, RecruitmentRound

MAX_WEEKS = 15
MAX_DAYS_AHEAD = 5 * 366


class SlotError(SessionError):
    pass


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=timezone.get_current_timezone())


def add_slots(
    round: RecruitmentRound, *, day: date, start: time, end: time, venue: str, weeks: int = 1
) -> list[TeachingSlot]:
    """The same time and room on `day` and the `weeks - 1` weeks after it (local time)."""
    venue = venue.strip()
    if not allocated_topics(round):
        raise SlotError("Publish the round's allocation before releasing teaching slots.")
    if end <= start:
        raise SlotError("The slot must end after it starts.", "end")
    if not venue:
        raise SlotError("Give the room.", "venue")
    if not 1 <= weeks <= MAX_WEEKS:
        raise SlotError(f"Repeat for 1 to {MAX_WEEKS} weeks.", "weeks")
    today = timezone.localdate()
    if not today <= day <= today + timedelta(days=MAX_DAYS_AHEAD):
        raise SlotError("Choose a date from today to five years ahead.", "day")
    created = []
    try:
        with transaction.atomic():
            for week in range(weeks):
                when = day + timedelta(weeks=week)
                starts, ends = _local(when, start), _local(when, end)
                taken = TeachingSlot.objects.filter(
                    round=round, venue__iexact=venue, starts_at__lt=ends, ends_at__gt=starts
                )
                if taken.exists():
                    raise SlotError(f"{venue} already has a slot then ({taken.first()}).", "venue")
                created.append(
                    TeachingSlot.objects.create(
                        round=round, starts_at=starts, ends_at=ends, venue=venue
                    )
                )
    except IntegrityError:
        raise SlotError("That room already has a slot at that time.", "venue") from None
    return created


def remove_slot(round: RecruitmentRound, slot_id: int | None) -> None:
    deleted, _ = TeachingSlot.objects.filter(round=round, pk=slot_id, session__isnull=True).delete()
    if not deleted:
        raise SlotError("Only a slot nobody has picked can be removed.")


def release(round: RecruitmentRound, deadline: datetime, actor) -> SlotRelease:
    """Tutors may pick dates until `deadline` (setting it again moves the deadline)."""
    if not round.teaching_slots.exists():
        raise SlotError("Add teaching slots before releasing them.", "deadline")
    rel, _ = SlotRelease.objects.update_or_create(
        round=round, defaults={"pick_deadline": deadline, "released_by": actor}
    )
    return rel


# ----- what fits whom ---------------------------------------------------------------------------


def _availability(tutor_ids: set[int], first: date, last: date):
    """tutor id -> (free week cells or None when they gave no week, busy dates)."""
    ids = sorted(tutor_ids)
    weeks = {w.member_id: w.free for w in _WEEKS.instances(ids=ids)}
    busy: dict[int, set[date]] = {t: set() for t in tutor_ids}
    for member_id, starts_on, ends_on in _BUSY_DAYS.rows(last, first, ids=ids):
        day = max(starts_on, first)
        while day <= min(ends_on, last):
            busy[member_id].add(day)
            day += timedelta(days=1)
    return {t: (weeks.get(t), frozenset(busy[t])) for t in tutor_ids}


# A tutor's teaching dates page reads these on every cold visit: compiled once per process.
_WEEKS = PreparedForIds(
    lambda ids: WeeklyAvailability.objects.filter(member_id__in=ids).only("member_id", "free_cells")
)
_BUSY_DAYS = PreparedForIds(
    lambda last, first, ids: AvailabilityException.objects.filter(
        member_id__in=ids, starts_on__lte=last, ends_on__gte=first
    ).values_list("member_id", "starts_on", "ends_on"),
    2,
)
_SLOTS = Prepared(
    lambda round_pk: TeachingSlot.objects.filter(round_id=round_pk).annotate(
        session_offering=F("session__offering_id")
    ),
    1,
)
_SESSIONS_OF = PreparedForIds(lambda ids: TeachingSession.objects.filter(offering_id__in=ids))


def _fitting(rows: list[AllocatedTopicRow], slots: list[TeachingSlot]) -> dict[int, set[int]]:
    """offering id -> ids of the slots that every tutor of that topic can make."""
    if not slots or not rows:
        return {r.offering_id: set() for r in rows}
    tutor_ids = {t.pk for r in rows for t in r.tutors}
    local = {s.pk: (timezone.localtime(s.starts_at), timezone.localtime(s.ends_at)) for s in slots}
    days = [a.date() for a, _ in local.values()]
    avail = _availability(tutor_ids, min(days), max(days))
    fits: dict[int, set[int]] = {}
    for row in rows:
        fits[row.offering_id] = {
            s.pk
            for s in slots
            if all(
                slot_engine.fits(
                    *avail[t.pk],
                    local[s.pk][0].date(),
                    local[s.pk][0].time(),
                    local[s.pk][1].time(),
                )
                for t in row.tutors
            )
        }
    return fits


@dataclass
class TopicChoice:
    """One allocated topic of a tutor: its picked slot, or the free slots that fit."""

    row: AllocatedTopicRow
    session: TeachingSession | None = None
    slot: TeachingSlot | None = None
    options: list[TeachingSlot] = field(default_factory=list)


def choices_for(tutor, round: RecruitmentRound) -> list[TopicChoice]:
    rows = allocated_topics(round, tutor=tutor)
    slots = _SLOTS.instances(round.pk)
    free = [s for s in slots if s.session_id is None]
    fits = _fitting(rows, free)
    by_offering = {s.session_offering: s for s in slots if s.session_id}
    offerings = [r.offering_id for r in rows]
    sessions = {s.offering_id: s for s in _SESSIONS_OF.instances(ids=offerings)}
    return [
        TopicChoice(
            row,
            session=sessions.get(row.offering_id),
            slot=by_offering.get(row.offering_id),
            options=[s for s in free if s.pk in fits[row.offering_id]],
        )
        for row in rows
    ]


def rounds_for_tutor(tutor) -> list[RecruitmentRound]:
    """Released rounds in which the tutor teaches a published topic, each with its picking
    deadline (`pick_deadline`)."""
    return _TUTOR_ROUNDS.instances(tutor.pk)


_TUTOR_ROUNDS = Prepared(
    lambda tutor_pk: (
        RecruitmentRound.objects.filter(
            slot_release__isnull=False,
            allocation_runs__is_published=True,
            allocation_runs__pairs__tutor_id=tutor_pk,
        )
        .annotate(pick_deadline=F("slot_release__pick_deadline"))
        .distinct()
    ),
    1,
)


# ----- picking -----------------------------------------------------------------------------------


def _clash_check(row: AllocatedTopicRow, slot: TeachingSlot) -> None:
    clashes = find_clashes(
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        venue=slot.venue,
        tutor_ids=[t.pk for t in row.tutors],
        year_ids=list(row.topic.years.values_list("pk", flat=True)),
    )
    if clashes:
        raise SlotError(f"That slot clashes: {clashes[0].message}")


def pick_slot(
    tutor, slot_id: int | None, offering_id: int | None, *, now: datetime | None = None
) -> TeachingSession:
    """The tutor takes a slot for one of their topics: the topic's draft session is created.

    The slot row is locked, so of two tutors picking the same slot at once one gets it and the
    other is told it has gone; the offering row is locked too, so a topic gets one date.
    """
    now = now or timezone.now()
    with transaction.atomic():
        slot = (
            TeachingSlot.objects.select_for_update(of=("self",))
            .select_related("round__slot_release")
            .filter(pk=slot_id)
            .first()
        )
        if slot is None:
            raise SlotError("That slot no longer exists.")
        rel = getattr(slot.round, "slot_release", None)
        if rel is None:
            raise SlotError("These slots are not released yet.")
        if now >= rel.pick_deadline:
            raise SlotError("The deadline to pick dates has passed; the committee places the rest.")
        row = next(
            (
                r
                for r in allocated_topics(slot.round)
                if r.offering_id == offering_id and any(t.pk == tutor.pk for t in r.tutors)
            ),
            None,
        )
        if row is None:
            raise SlotError("That is not one of your allocated topics.")
        Offering.objects.select_for_update().get(pk=row.offering_id)
        if slot.session_id is not None:
            raise SlotError("Someone picked that slot a moment ago; choose another.")
        if TeachingSession.objects.filter(offering_id=row.offering_id).exists():
            raise SlotError("This topic already has a date.")
        if slot.pk not in _fitting([row], [slot])[row.offering_id]:
            raise SlotError("That slot is outside your (or a co-tutor's) availability.")
        _clash_check(row, slot)
        session = draft_session(row, slot.starts_at, slot.ends_at, slot.venue)
        slot.session, slot.picked_by, slot.picked_at = session, tutor, now
        slot.save(update_fields=["session", "picked_by", "picked_at"])
        return session


# ----- after the deadline ------------------------------------------------------------------------


@dataclass
class Proposal:
    row: AllocatedTopicRow
    slot: TeachingSlot | None


def proposal(round: RecruitmentRound) -> list[Proposal]:
    """What the engine would place now for the topics still without a date."""
    have = set(
        TeachingSession.objects.filter(offering__round=round).values_list("offering_id", flat=True)
    )
    rows = [r for r in allocated_topics(round) if r.offering_id not in have]
    free = list(round.teaching_slots.filter(session__isnull=True))
    fits = _fitting(rows, free)
    years: dict[int, set[int]] = {r.topic.pk: set() for r in rows}
    for topic_id, year_id in Topic.years.through.objects.filter(
        topic_id__in=list(years)
    ).values_list("topic_id", "year_id"):
        years[topic_id].add(year_id)
    placed = slot_engine.propose(
        [
            slot_engine.OpenTopic(
                r.offering_id,
                frozenset(t.pk for t in r.tutors),
                frozenset(years[r.topic.pk]),
                frozenset(fits[r.offering_id]),
            )
            for r in rows
        ],
        [slot_engine.OpenSlot(s.pk, s.starts_at, s.ends_at, s.venue) for s in free],
    )
    by_id = {s.pk: s for s in free}
    return [Proposal(r, by_id.get(placed.get(r.offering_id) or 0)) for r in rows]


def place_remaining(round: RecruitmentRound, *, now: datetime | None = None) -> int:
    """After the deadline: the proposal's draft sessions (a proposal that now clashes with a
    session made since is left for the committee). Returns how many were placed."""
    now = now or timezone.now()
    rel = SlotRelease.objects.filter(round=round).first()
    if rel is None or now < rel.pick_deadline:
        raise SlotError("Tutors may still pick their dates; place the rest after the deadline.")
    placed = 0
    for item in proposal(round):
        if item.slot is None:
            continue
        with transaction.atomic():
            slot = TeachingSlot.objects.select_for_update().get(pk=item.slot.pk)
            Offering.objects.select_for_update().get(pk=item.row.offering_id)
            if (
                slot.session_id
                or TeachingSession.objects.filter(offering_id=item.row.offering_id).exists()
            ):
                continue
            try:
                _clash_check(item.row, slot)
            except SlotError:
                continue
            slot.session = draft_session(item.row, slot.starts_at, slot.ends_at, slot.venue)
            slot.picked_at = now
            slot.save(update_fields=["session", "picked_at"])
            placed += 1
    return placed


def waiting_topics(round: RecruitmentRound | int) -> int:
    """Published topics of a released round (or its id) still without a date (for the committee's
    home)."""
    have = set(
        TeachingSession.objects.filter(offering__round=round).values_list("offering_id", flat=True)
    )
    return len(allocated_offering_ids(round) - have)
