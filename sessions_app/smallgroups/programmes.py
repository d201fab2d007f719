"""Small-group programmes: create one, sign up or enrol a year, ask to move.

The term's rules live here once: which dates a programme meets on (weekly, in the society's
local time, right across GMT/BST), and who counts as free at a weekly time for the whole term
(their week, less any weekday their busy dates take from more than one meeting).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from meded.errors import DomainError
from meded.models import User, Year

from .engine.grid import CELLS_PER_DAY
from .models import AvailabilityException
from .programme_models import Enrolment, MoveRequest, Programme, ProgrammeTutor
from .selectors import weeks_for

MAX_MISSED_MEETINGS = 1  # busy dates may take one meeting of a weekly time, not more


class ProgrammeError(DomainError):
    """A small-group programme rule said no."""


@dataclass(frozen=True)
class Leader:
    tutor: User
    max_groups: int


# ---- the term ---------------------------------------------------------------------------------


def term_days(programme: Programme) -> tuple[date, date]:
    return programme.first_day, programme.first_day + timedelta(days=7 * programme.weeks - 1)


def meeting_dates(programme: Programme, start: int) -> list[date]:
    """The dates a group starting at week cell `start` meets, one a week through the term."""
    weekday = start // CELLS_PER_DAY
    first = programme.first_day + timedelta(days=(weekday - programme.first_day.weekday()) % 7)
    return [first + timedelta(days=7 * w) for w in range(programme.weeks)]


def meeting_times(programme: Programme, start: int) -> list[tuple[datetime, datetime]]:
    """(start, end) of every meeting, aware, at the same local time each week (GMT or BST)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    half = start % CELLS_PER_DAY
    clock = time(half // 2, 30 * (half % 2))
    out = []
    for day in meeting_dates(programme, start):
        begins = datetime.combine(day, clock, tzinfo=zone)
        out.append((begins, begins + timedelta(minutes=programme.minutes)))
    return out


def free_for_term(programme: Programme, members: Iterable[User]) -> dict[int, frozenset[int]]:
    """member id -> weekly cells they are free for the term (see the module docstring)."""
    members = list(members)
    weeks = weeks_for(members)
    first, last = term_days(programme)
    busy: dict[int, set[date]] = {m.pk: set() for m in members}
    for e in AvailabilityException.objects.filter(
        member__in=members, starts_on__lte=last, ends_on__gte=first
    ):
        day = max(e.starts_on, first)
        while day <= min(e.ends_on, last):
            busy[e.member_id].add(day)
            day += timedelta(days=1)
    out = {}
    for m in members:
        missed = [0] * 7
        for day in busy[m.pk]:
            missed[day.weekday()] += 1
        out[m.pk] = frozenset(
            c
            for c in weeks.get(m.pk, frozenset())
            if missed[c // CELLS_PER_DAY] <= MAX_MISSED_MEETINGS
        )
    return out


def can_meet(programme: Programme, free: frozenset[int], start: int) -> bool:
    return all(start + i in free for i in range(programme.length))


# ---- create -----------------------------------------------------------------------------------


def create_programme(
    actor: User | None,
    *,
    title: str,
    year: Year,
    first_day: date,
    weeks: int,
    venue: str,
    leaders: list[Leader],
    group_size: int = 6,
    minutes: int = 60,
    module=None,
    topics: Iterable = (),
) -> Programme:
    """A draft programme with its tutors; every refusal names its field."""
    title = title.strip()
    if not title:
        raise ProgrammeError("Give the programme a title.", "title")
    if Programme.objects.filter(title__iexact=title).exists():
        raise ProgrammeError("Another programme has this title.", "title")
    if not 1 <= group_size <= 30:
        raise ProgrammeError("A group has between 1 and 30 students.", "group_size")
    if minutes % 30 or not 30 <= minutes <= 240:
        raise ProgrammeError("Meetings last 30 to 240 minutes, in steps of 30.", "minutes")
    if not 1 <= weeks <= 20:
        raise ProgrammeError("A term has between 1 and 20 weeks.", "weeks")
    if first_day < timezone.localdate():
        raise ProgrammeError("The term must start today or later.", "first_day")
    if not venue.strip():
        raise ProgrammeError("Say where the groups meet.", "venue")
    if not leaders:
        raise ProgrammeError("Name at least one tutor who leads groups.", "leaders")
    if len({le.tutor.pk for le in leaders}) != len(leaders):
        raise ProgrammeError("A tutor is named twice.", "leaders")
    if any(not 1 <= le.max_groups <= 10 for le in leaders):
        raise ProgrammeError("A tutor leads between 1 and 10 groups.", "leaders")
    with transaction.atomic():
        programme = Programme.objects.create(
            title=title,
            year=year,
            first_day=first_day,
            weeks=weeks,
            venue=venue.strip(),
            group_size=group_size,
            minutes=minutes,
            module=module,
            created_by=actor,
        )
        programme.topics.set(list(topics))
        ProgrammeTutor.objects.bulk_create(
            ProgrammeTutor(programme=programme, tutor=le.tutor, max_groups=le.max_groups)
            for le in leaders
        )
    return programme


# ---- students ---------------------------------------------------------------------------------


def in_year(programme: Programme, member: User) -> bool:
    """Rights come from the year the committee verified, never from the one a member typed."""
    return member.verified_year == str(programme.year.number)


def sign_up(student: User, programme: Programme) -> Enrolment:
    """The student joins the programme; they must be of its year and have a usable week."""
    if programme.is_published:
        raise ProgrammeError("Groups are already published; ask the committee for a place.")
    if not in_year(programme, student):
        raise ProgrammeError(f"This programme is for {programme.year} students.")
    free = free_for_term(programme, [student])[student.pk]
    if not any(can_meet(programme, free, c) for c in free):
        raise ProgrammeError(
            f"Set your availability first: mark at least {programme.minutes} minutes in a row "
            "you are free each week."
        )
    try:
        with transaction.atomic():
            return Enrolment.objects.create(programme=programme, student=student)
    except IntegrityError as exc:
        raise ProgrammeError("You are already signed up.") from exc


def leave(student: User, programme: Programme) -> None:
    if programme.is_published:
        raise ProgrammeError("Groups are published; ask to move instead.")
    from .programme_models import GroupMember

    with transaction.atomic():
        GroupMember.objects.filter(programme=programme, student=student).delete()
        deleted, _ = Enrolment.objects.filter(programme=programme, student=student).delete()
    if not deleted:
        raise ProgrammeError("You are not signed up.")


def enrol_year(actor: User | None, programme: Programme) -> int:
    """Enrol every verified member of the programme's year; returns how many were added."""
    if programme.is_published:
        raise ProgrammeError("Groups are already published.")
    members = User.objects.filter(verified_year=str(programme.year.number), is_active=True)
    have = set(Enrolment.objects.filter(programme=programme).values_list("student_id", flat=True))
    new = [
        Enrolment(programme=programme, student=m, by_committee=True)
        for m in members
        if m.pk not in have
    ]
    Enrolment.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


# ---- asking to move ---------------------------------------------------------------------------


def request_move(member: User, programme: Programme, reason: str) -> MoveRequest:
    """A group member or a leading tutor asks the committee to move them (one open request)."""
    from .programme_models import GroupMember, ProgrammeGroup

    reason = reason.strip()
    if not reason:
        raise ProgrammeError("Say what would suit you better.", "reason")
    if len(reason) > 500:
        raise ProgrammeError("Keep it under 500 characters.", "reason")
    involved = (
        GroupMember.objects.filter(programme=programme, student=member).exists()
        or ProgrammeGroup.objects.filter(programme=programme, tutor=member).exists()
    )
    if not programme.is_published or not involved:
        raise ProgrammeError("You have no published group in this programme to move from.")
    try:
        with transaction.atomic():
            return MoveRequest.objects.create(programme=programme, member=member, reason=reason)
    except IntegrityError as exc:
        raise ProgrammeError("You already asked; the committee will answer it.") from exc


def handle_request(actor: User, request_id: int) -> MoveRequest:
    with transaction.atomic():
        found = MoveRequest.objects.select_for_update().filter(pk=request_id).first()
        if found is None:
            raise ProgrammeError("That request no longer exists.")
        if found.handled_at:
            raise ProgrammeError("That request is already handled.")
        found.handled_at = timezone.now()
        found.handled_by = actor
        found.save(update_fields=["handled_at", "handled_by"])
    return found
