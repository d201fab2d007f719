"""What the engine returns: groups, the unplaced with a reason, and the proof of optimality."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class UnplacedReason(StrEnum):
    """Why a student has no group; every case is 'no overlap with any group that had room'."""

    NO_FREE_TIME = "no_free_time"
    NO_TUTOR_OVERLAP = "no_tutor_overlap"
    GROUPS_FULL = "groups_full"
    TUTORS_NEEDED_ELSEWHERE = "tutors_needed_elsewhere"

    @property
    def explanation(self) -> str:
        return _EXPLANATIONS[self]


_EXPLANATIONS = {
    UnplacedReason.NO_FREE_TIME: "gave no free time long enough for a meeting",
    UnplacedReason.NO_TUTOR_OVERLAP: "no tutor is free for a whole meeting at any time they are",
    UnplacedReason.GROUPS_FULL: "every group meeting at a time they can make is full",
    UnplacedReason.TUTORS_NEEDED_ELSEWHERE: (
        "the tutors free at their times lead full groups at other times (more students placed)"
    ),
}


@dataclass(frozen=True)
class Group:
    tutor: str
    start: int
    students: tuple[str, ...]
    locked: bool = False


@dataclass(frozen=True)
class Unplaced:
    student: str
    reason: UnplacedReason


@dataclass(frozen=True)
class GroupResult:
    groups: tuple[Group, ...]
    unplaced: tuple[Unplaced, ...]
    optimal: bool
    balanced: bool
    upper_bound: int
    seconds: float

    @property
    def placed(self) -> int:
        return sum(len(g.students) for g in self.groups)

    @property
    def sum_of_squares(self) -> int:
        return sum(len(g.students) ** 2 for g in self.groups)

    def group_of(self, student: str) -> Group | None:
        return next((g for g in self.groups if student in g.students), None)
