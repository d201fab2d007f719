"""The hand method a committee uses today, for comparison in the bench (not for production).

Each tutor in turn (in the given order) takes, for each group they may lead, the start most
still-unplaced students can make (earliest on ties), and the first `size` of them join.
"""

from __future__ import annotations

import time

from .inputs import GroupInputs
from .results import Group, GroupResult, Unplaced, UnplacedReason


def hand_method(inputs: GroupInputs) -> GroupResult:
    began = time.perf_counter()
    inputs.validate()
    can_make = {p.id: set(inputs.starts_within(p.free)) for p in inputs.students}
    unplaced = [p.id for p in inputs.students]
    groups: list[Group] = []
    for tutor in inputs.tutors:
        taken: list[int] = []
        for _ in range(tutor.max_groups):
            options = [
                s
                for s in inputs.starts_within(tutor.free)
                if all(abs(s - t) >= inputs.length for t in taken)
            ]
            if not options or not unplaced:
                break
            start = max(options, key=lambda s: (sum(s in can_make[i] for i in unplaced), -s))
            members = [i for i in unplaced if start in can_make[i]][: inputs.size]
            if not members:
                break
            taken.append(start)
            groups.append(Group(tutor.id, start, tuple(members)))
            unplaced = [i for i in unplaced if i not in members]
    return GroupResult(
        groups=tuple(groups),
        unplaced=tuple(Unplaced(i, UnplacedReason.GROUPS_FULL) for i in unplaced),
        optimal=False,
        balanced=False,
        upper_bound=0,
        seconds=time.perf_counter() - began,
    )
