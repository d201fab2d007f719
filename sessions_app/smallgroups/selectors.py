"""Reads of availability for schedulers: free or busy, never why."""

from __future__ import annotations

from .models import AvailabilityException, WeeklyAvailability


def weeks_for(members) -> dict[int, frozenset[int]]:
    """member id -> free week cells, one query for any number of members."""
    ids = [m.pk for m in members]
    rows = WeeklyAvailability.objects.filter(member_id__in=ids).only("member_id", "free_cells")
    return {row.member_id: row.free for row in rows}


def exceptions_of(member):
    return AvailabilityException.objects.filter(member=member)


def attendees(members, first, last):
    """Engine attendees for members: their week and their busy dates in [first, last]."""
    from datetime import timedelta

    from .engine.find_time import Attendee

    weeks = weeks_for(members)
    busy: dict[int, set] = {m.pk: set() for m in members}
    rows = AvailabilityException.objects.filter(
        member__in=members, starts_on__lte=last, ends_on__gte=first
    )
    for e in rows:
        day = max(e.starts_on, first)
        while day <= min(e.ends_on, last):
            busy[e.member_id].add(day)
            day += timedelta(days=1)
    return [
        Attendee(m.full_name or m.email, weeks.get(m.pk, frozenset()), frozenset(busy[m.pk]))
        for m in members
    ]
