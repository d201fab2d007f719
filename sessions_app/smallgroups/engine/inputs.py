"""What the engine is given, validated once before solving."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .grid import CELLS_PER_DAY


class EngineError(ValueError):
    """The inputs cannot be solved as given (a message a committee member can act on)."""


@dataclass(frozen=True)
class Person:
    """A student: an id and the week cells they are free."""

    id: str
    free: frozenset[int]


@dataclass(frozen=True)
class TutorInput:
    """A tutor: the most groups they may lead, and their free week cells."""

    id: str
    max_groups: int
    free: frozenset[int]


@dataclass(frozen=True)
class LockedGroup:
    """A group the committee fixed: this tutor, this start, these students (kept as they are)."""

    tutor: str
    start: int
    students: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupInputs:
    """One problem: who, how big, how long, which seed; `cells_per_day` bounds a meeting's day."""

    tutors: tuple[TutorInput, ...]
    students: tuple[Person, ...]
    size: int = 6
    length: int = 2
    seed: int = 0
    locked: tuple[LockedGroup, ...] = ()
    cells_per_day: int = CELLS_PER_DAY
    time_limit: float = 60.0  # solver work units (deterministic), not wall seconds
    balance_time: float = 1.0  # balance is a preference: best found in this much work

    def validate(self) -> None:
        """Raise EngineError for what no solver can mend (sizes, duplicate ids, bad locks)."""
        if self.size < 1:
            raise EngineError("group size must be at least 1")
        if not 1 <= self.length <= self.cells_per_day:
            raise EngineError("meeting length must be between one cell and one day")
        _unique("tutor", (t.id for t in self.tutors))
        _unique("student", (s.id for s in self.students))
        for t in self.tutors:
            if t.max_groups < 0:
                raise EngineError(f"tutor {t.id}: groups cannot be negative")
        tutors = {t.id: t for t in self.tutors}
        students = {s.id: s for s in self.students}
        seen: set[str] = set()
        per_tutor: dict[str, list[int]] = {}
        for lock in self.locked:
            if lock.tutor not in tutors:
                raise EngineError(f"locked group: unknown tutor {lock.tutor}")
            if len(lock.students) > self.size:
                raise EngineError(f"locked group of {lock.tutor}: more students than the size")
            if not self.fits_day(lock.start):
                raise EngineError(f"locked group of {lock.tutor}: meeting crosses midnight")
            for sid in lock.students:
                if sid not in students:
                    raise EngineError(f"locked group of {lock.tutor}: unknown student {sid}")
                if sid in seen:
                    raise EngineError(f"student {sid} is locked into two groups")
                seen.add(sid)
            starts = per_tutor.setdefault(lock.tutor, [])
            if any(abs(lock.start - s) < self.length for s in starts):
                raise EngineError(f"tutor {lock.tutor}: two locked groups overlap")
            starts.append(lock.start)
        for tid, starts in per_tutor.items():
            if len(starts) > tutors[tid].max_groups:
                raise EngineError(f"tutor {tid}: more locked groups than they may lead")

    def fits_day(self, start: int) -> bool:
        """A meeting starting at `start` ends on the same day."""
        return (
            start >= 0
            and start // self.cells_per_day == (start + self.length - 1) // self.cells_per_day
        )

    def starts_within(self, free: frozenset[int]) -> list[int]:
        """Every start whose whole meeting lies inside `free` (sorted)."""
        return sorted(
            s
            for s in free
            if self.fits_day(s) and all(s + i in free for i in range(1, self.length))
        )


def _unique(kind: str, ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise EngineError(f"{kind} {i} appears twice")
        seen.add(i)
