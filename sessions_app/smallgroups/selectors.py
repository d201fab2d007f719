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
