"""Teaching slots against availability, and the proposal for topics nobody picked a date for.

Pure Python (no Django): the service turns slots into local dates and times, and members into
their free week cells (30 minutes each, Monday 00:00 = 0) and busy dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

CELL_MINUTES = 30
CELLS_PER_DAY = 48


def slot_cells(day: date, start: time, end: time) -> range:
    """The week cells a local [start, end) on `day` touches (a part-cell counts as a whole)."""
    base = day.weekday() * CELLS_PER_DAY
    first = (start.hour * 60 + start.minute) // CELL_MINUTES
    end_minutes = end.hour * 60 + end.minute or 24 * 60
    last = -(-end_minutes // CELL_MINUTES)  # ceiling
    return range(base + first, base + last)


def fits(
    free: frozenset[int] | None, busy: frozenset[date], day: date, start: time, end: time
) -> bool:
    """Whether a member is free for the whole slot; `free` None means they gave no week (free)."""
    if day in busy:
        return False
    return free is None or all(c in free for c in slot_cells(day, start, end))


@dataclass(frozen=True)
class OpenSlot:
    key: int
    starts_at: datetime
    ends_at: datetime
    venue: str


@dataclass(frozen=True)
class OpenTopic:
    key: int
    tutors: frozenset[int]
    years: frozenset[int]
    fitting: frozenset[int]  # keys of the slots every tutor of the topic can make


def _overlap(a: OpenSlot, b: OpenSlot) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def propose(topics: Iterable[OpenTopic], slots: Iterable[OpenSlot]) -> dict[int, int | None]:
    """topic key -> slot key (None: no free slot fits). Deterministic greedy.

    The most constrained topic chooses first (fewest fitting slots, then key) and takes its
    earliest fitting slot not yet taken that keeps its tutors and year groups out of two places
    at once among the proposals.
    """
    by_key = {s.key: s for s in slots}
    order = sorted(by_key.values(), key=lambda s: (s.starts_at, s.key))
    chosen: list[tuple[OpenTopic, OpenSlot]] = []
    taken: set[int] = set()
    result: dict[int, int | None] = {}
    todo = sorted(topics, key=lambda t: (len(t.fitting & by_key.keys()), t.key))
    for topic in todo:
        result[topic.key] = None
        for slot in order:
            if slot.key in taken or slot.key not in topic.fitting:
                continue
            if any(
                _overlap(slot, other)
                and (topic.tutors & placed.tutors or topic.years & placed.years)
                for placed, other in chosen
            ):
                continue
            chosen.append((topic, slot))
            taken.add(slot.key)
            result[topic.key] = slot.key
            break
    return result
