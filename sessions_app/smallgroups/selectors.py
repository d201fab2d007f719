"""Reads of availability for schedulers: free or busy, never why."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from meded.prepared import Prepared

from .engine.find_time import Attendee
from .models import AvailabilityException, BusyBlock, CalendarFeed, WeeklyAvailability

HALF_HOUR = timedelta(minutes=30)


def weeks_for(members) -> dict[int, frozenset[int]]:
    """member id -> free week cells, one query for any number of members."""
    ids = [m.pk for m in members]
    rows = WeeklyAvailability.objects.filter(member_id__in=ids).only("member_id", "free_cells")
    return {row.member_id: row.free for row in rows}


def exceptions_of(member):
    return AvailabilityException.objects.filter(member=member)


def busy_blocks_of(member):
    return BusyBlock.objects.filter(member=member, ends_at__gt=timezone.now())


def feed_of(member) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(member=member).first()


# My availability reads these on every visit after a write: compiled once per process.
_WEEK = Prepared(
    lambda m: WeeklyAvailability.objects.filter(member_id=m).values_list("free_cells"), 1
)
_EXCEPTIONS = Prepared(lambda m: AvailabilityException.objects.filter(member_id=m), 1)
_BUSY_BLOCKS = Prepared(
    lambda m, now: BusyBlock.objects.filter(member_id=m, ends_at__gt=now)[:50], 2
)
_FEED = Prepared(lambda m: CalendarFeed.objects.filter(member_id=m).order_by("pk")[:1], 1)


def own_availability(member) -> dict:
    """What My availability shows of the member's own: the free cells of their week, their
    dated exceptions, their next 50 imported busy times and their feed (reads compiled once per
    process, meded/prepared.py)."""
    week = _WEEK.converted_rows(member.pk)
    feed = _FEED.instances(member.pk)
    return {
        "free": WeeklyAvailability(free_cells=week[0][0]).free if week else frozenset(),
        "exceptions": _EXCEPTIONS.instances(member.pk),
        "busy_blocks": _BUSY_BLOCKS.instances(member.pk, timezone.now()),
        "feed": feed[0] if feed else None,
    }


def local_cells(starts_at: datetime, ends_at: datetime) -> set[tuple[date, int]]:
    """The local (date, half-hour) cells a UTC interval touches, right across GMT/BST."""
    cells = set()
    moment = starts_at.replace(minute=30 * (starts_at.minute // 30), second=0, microsecond=0)
    while moment < ends_at:
        local = timezone.localtime(moment)
        cells.add((local.date(), local.hour * 2 + local.minute // 30))
        moment += HALF_HOUR
    return cells


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0)))


def attendees(members, first: date, last: date) -> list[Attendee]:
    """Engine attendees for members: their week, busy dates and busy blocks in [first, last].

    Three queries whatever the number of members."""
    weeks = weeks_for(members)
    busy: dict[int, set] = {m.pk: set() for m in members}
    cells: dict[int, set] = {m.pk: set() for m in members}
    rows = AvailabilityException.objects.filter(
        member__in=members, starts_on__lte=last, ends_on__gte=first
    )
    for e in rows:
        day = max(e.starts_on, first)
        while day <= min(e.ends_on, last):
            busy[e.member_id].add(day)
            day += timedelta(days=1)
    lo, hi = _local_midnight(first), _local_midnight(last + timedelta(days=1))
    blocks = BusyBlock.objects.filter(member__in=members, starts_at__lt=hi, ends_at__gt=lo)
    for b in blocks.only("member_id", "starts_at", "ends_at"):
        cells[b.member_id] |= local_cells(max(b.starts_at, lo), min(b.ends_at, hi))
    return [
        Attendee(
            m.full_name or m.email,
            weeks.get(m.pk, frozenset()),
            frozenset(busy[m.pk]),
            frozenset(cells[m.pk]),
        )
        for m in members
    ]


# Sets of people a scheduler may look at: "committee", or "session:<id>" for a small group
# (the tutors and confirmed members of a tutorial). Tutors see only the groups they lead.
COMMITTEE_KEY = "committee"


def _tutorials_for(user):
    from meded.roles import is_committee
    from sessions_app.scheduling.models import TeachingSession

    rows = TeachingSession.objects.filter(kind=TeachingSession.Kind.TUTORIAL).exclude(
        status=TeachingSession.Status.CANCELLED
    )
    if not is_committee(user):
        rows = rows.filter(tutors=user)
    since = timezone.now() - timedelta(days=30)
    return rows.filter(starts_at__gte=since).order_by("starts_at", "pk")


def groups_for(user) -> list[tuple[str, str]]:
    """The sets of people `user` may find a time for, as (key, label) choices."""
    from meded.roles import is_committee

    choices = [(COMMITTEE_KEY, "The committee")] if is_committee(user) else []
    for s in _tutorials_for(user)[:100]:
        when = timezone.localtime(s.starts_at).strftime("%a %-d %b")
        choices.append((f"session:{s.pk}", f"Group of {s.title} ({when})"))
    return choices


def people_of(user, key: str) -> list:
    """The members of a set `user` may look at (see groups_for); [] for any other key."""
    from meded.accounts.models import User
    from meded.parsing import parse_id
    from meded.roles import COMMITTEE_GROUP, is_committee
    from sessions_app.booking.models import Booking

    if key == COMMITTEE_KEY and is_committee(user):
        return list(User.objects.filter(groups__name=COMMITTEE_GROUP).order_by("full_name", "pk"))
    prefix, _, raw = key.partition(":")
    pk = parse_id(raw) if prefix == "session" else None
    session = _tutorials_for(user).filter(pk=pk).first() if pk else None
    if session is None:
        return []
    tutors = list(session.tutors.order_by("full_name", "pk"))
    members = User.objects.filter(
        bookings__session=session, bookings__status=Booking.Status.CONFIRMED
    ).order_by("full_name", "pk")
    return tutors + [m for m in members if m not in tutors]
