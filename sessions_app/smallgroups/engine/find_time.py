"""Find a time: for a set of people, every start in a date range ranked by how many can come.

Pure: a person is free at a start when the whole meeting lies in their weekly free cells and the
date is not one of their busy dates. Best slots first (most people free, then earliest).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .grid import CELLS_PER_DAY


@dataclass(frozen=True)
class Attendee:
    name: str
    free: frozenset[int]
    busy_dates: frozenset[date] = frozenset()


@dataclass(frozen=True)
class Slot:
    day: date
    start: int  # half-hours since midnight
    free: tuple[str, ...]
    missing: tuple[str, ...]


def find_times(
    people: list[Attendee],
    first: date,
    last: date,
    length: int,
    *,
    earliest: int = 16,
    latest: int = 44,
    limit: int = 20,
) -> list[Slot]:
    """Starts between `earliest` and `latest` (half-hours) on each date, best first."""
    slots = []
    day = first
    while day <= last:
        base = day.weekday() * CELLS_PER_DAY
        for start in range(earliest, latest - length + 1):
            meeting = range(base + start, base + start + length)
            free, missing = [], []
            for p in people:
                ok = day not in p.busy_dates and all(c in p.free for c in meeting)
                (free if ok else missing).append(p.name)
            if free:
                slots.append(Slot(day, start, tuple(free), tuple(missing)))
        day += timedelta(days=1)
    slots.sort(key=lambda s: (-len(s.free), s.day, s.start))
    return slots[:limit]
