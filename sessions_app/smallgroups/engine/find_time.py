"""Find a time: for a set of people, every start in a date range scored by who can come.

Pure: a person is free at a start when the whole meeting lies in their weekly free cells, the
date is not one of their busy dates, and none of its half-hours is in an imported busy block
(`busy_cells`: (local date, half-hour of the day)). `find_times` ranks the starts (most
people free, then earliest); `heat_map` lays the same scores out as dates by start times.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .grid import CELLS_PER_DAY

EARLIEST, LATEST = 16, 44  # 08:00 and 22:00, in half-hours since midnight


@dataclass(frozen=True)
class Attendee:
    name: str
    free: frozenset[int]
    busy_dates: frozenset[date] = frozenset()
    busy_cells: frozenset[tuple[date, int]] = frozenset()

    def can_make(self, day: date, start: int, length: int) -> bool:
        if day in self.busy_dates:
            return False
        base = day.weekday() * CELLS_PER_DAY
        return all(
            base + half in self.free and (day, half) not in self.busy_cells
            for half in range(start, start + length)
        )


@dataclass(frozen=True)
class Slot:
    day: date
    start: int  # half-hours since midnight
    free: tuple[str, ...]
    missing: tuple[str, ...]


def slot_at(people: list[Attendee], day: date, start: int, length: int) -> Slot:
    free, missing = [], []
    for p in people:
        (free if p.can_make(day, start, length) else missing).append(p.name)
    return Slot(day, start, tuple(free), tuple(missing))


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def starts(length: int, earliest: int = EARLIEST, latest: int = LATEST) -> range:
    """The starts on the grid whose meeting ends by `latest`."""
    return range(earliest, latest - length + 1)


def heat_map(
    people: list[Attendee],
    first: date,
    last: date,
    length: int,
    *,
    earliest: int = EARLIEST,
    latest: int = LATEST,
) -> list[list[Slot]]:
    """One row per date, one slot per start: the whole range, free or not."""
    return [
        [slot_at(people, day, start, length) for start in starts(length, earliest, latest)]
        for day in _days(first, last)
    ]


def find_times(
    people: list[Attendee],
    first: date,
    last: date,
    length: int,
    *,
    earliest: int = EARLIEST,
    latest: int = LATEST,
    limit: int = 20,
) -> list[Slot]:
    """Starts between `earliest` and `latest` (half-hours) on each date, best first."""
    return rank(heat_map(people, first, last, length, earliest=earliest, latest=latest), limit)


def rank(grid: list[list[Slot]], limit: int = 20) -> list[Slot]:
    """The slots of a heat map where someone is free, most people first, then earliest."""
    slots = [s for row in grid for s in row if s.free]
    slots.sort(key=lambda s: (-len(s.free), s.day, s.start))
    return slots[:limit]
