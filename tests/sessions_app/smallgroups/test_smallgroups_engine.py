"""The small-group engine: exact against brute force, degenerate inputs, determinism."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessions_app.smallgroups.engine import (
    EngineError,
    GroupInputs,
    LockedGroup,
    Person,
    TutorInput,
    UnplacedReason,
    form_groups,
)

DAY = 6  # tiny days of 6 cells keep the brute force small


def brute_force(inputs: GroupInputs) -> tuple[int, int]:
    """(most students placed, least sum of squared sizes among those) by trying everything."""
    tutor_slots = []
    for t in inputs.tutors:
        starts = inputs.starts_within(t.free)
        options = [()]
        for k in range(1, t.max_groups + 1):
            for combo in itertools.combinations(starts, k):
                if all(b - a >= inputs.length for a, b in itertools.pairwise(combo)):
                    options.append(combo)
        tutor_slots.append([[(t.id, s) for s in combo] for combo in options])
    best = (0, 0)
    can = {p.id: set(inputs.starts_within(p.free)) for p in inputs.students}
    for choice in itertools.product(*tutor_slots):
        groups = [g for part in choice for g in part]
        for assign in itertools.product(range(len(groups) + 1), repeat=len(inputs.students)):
            sizes = [0] * len(groups)
            ok = True
            for p, a in zip(inputs.students, assign, strict=True):
                if a < len(groups):
                    if groups[a][1] not in can[p.id]:
                        ok = False
                        break
                    sizes[a] += 1
            if not ok or any(n > inputs.size or n == 0 for n in sizes):
                continue
            score = (sum(sizes), -sum(n * n for n in sizes))
            best = max(best, score)
    return best[0], -best[1]


cells = st.frozensets(st.integers(0, 2 * DAY - 1), max_size=8)


@st.composite
def tiny(draw):
    tutors = tuple(
        TutorInput(f"t{i}", draw(st.integers(0, 2)), draw(cells))
        for i in range(draw(st.integers(1, 2)))
    )
    students = tuple(Person(f"s{i}", draw(cells)) for i in range(draw(st.integers(0, 4))))
    return GroupInputs(
        tutors,
        students,
        size=draw(st.integers(1, 3)),
        length=draw(st.integers(1, 2)),
        seed=draw(st.integers(0, 5)),
        cells_per_day=DAY,
    )


def check_valid(inputs: GroupInputs, result) -> None:
    tutors = {t.id: t for t in inputs.tutors}
    free = {p.id: p.free for p in inputs.students}
    seen: set[str] = set()
    for g in result.groups:
        meeting = set(range(g.start, g.start + inputs.length))
        assert inputs.fits_day(g.start)
        assert meeting <= tutors[g.tutor].free
        assert 1 <= len(g.students) <= inputs.size
        for sid in g.students:
            assert meeting <= free[sid]
            assert sid not in seen
            seen.add(sid)
    for tid, t in tutors.items():
        starts = sorted(g.start for g in result.groups if g.tutor == tid)
        assert len(starts) <= t.max_groups
        assert all(b - a >= inputs.length for a, b in itertools.pairwise(starts))
    assert seen | {u.student for u in result.unplaced} == set(free)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny())
def test_engine_places_as_many_students_as_brute_force_and_as_evenly(inputs):
    result = form_groups(inputs)
    check_valid(inputs, result)
    placed, squares = brute_force(inputs)
    assert result.optimal and result.balanced
    assert result.placed == placed == result.upper_bound
    assert result.sum_of_squares == squares


def test_nobody_overlaps_places_nobody_and_says_why():
    tutors = (TutorInput("t", 2, frozenset(range(36, 40))),)
    students = (
        Person("morning", frozenset(range(16, 20))),
        Person("never", frozenset()),
        Person("half-hour", frozenset({36})),
    )
    result = form_groups(GroupInputs(tutors, students, size=6, length=2))
    assert result.groups == ()
    reasons = {u.student: u.reason for u in result.unplaced}
    assert reasons == {
        "morning": UnplacedReason.NO_TUTOR_OVERLAP,
        "never": UnplacedReason.NO_FREE_TIME,
        "half-hour": UnplacedReason.NO_FREE_TIME,
    }
    assert result.optimal


def test_more_places_than_students_places_everyone_in_balanced_groups():
    evening = frozenset(range(36, 44))
    tutors = tuple(TutorInput(f"t{i}", 2, evening) for i in range(3))
    students = tuple(Person(f"s{i}", evening) for i in range(8))
    result = form_groups(GroupInputs(tutors, students, size=6, length=2))
    assert result.placed == 8 and result.unplaced == ()
    # six groups at most (3 tutors x 2): 2, 2, 1, 1, 1, 1 is the most even
    assert sorted(len(g.students) for g in result.groups) == [1, 1, 1, 1, 2, 2]


def test_full_groups_and_tutor_limits_leave_the_rest_with_a_reason():
    evening = frozenset(range(36, 38))
    tutors = (TutorInput("t", 1, evening), TutorInput("busy", 0, evening))
    students = tuple(Person(f"s{i}", evening) for i in range(5))
    result = form_groups(GroupInputs(tutors, students, size=3, length=2))
    assert result.placed == 3
    assert {u.reason for u in result.unplaced} == {UnplacedReason.GROUPS_FULL}


def test_tutor_needed_elsewhere_is_the_reason_when_their_time_was_not_used():
    tutors = (TutorInput("t", 1, frozenset(range(36, 40))),)
    students = (
        Person("a", frozenset({36, 37})),
        Person("b", frozenset({36, 37})),
        Person("c", frozenset({38, 39})),
    )
    result = form_groups(GroupInputs(tutors, students, size=2, length=2))
    assert [g.students for g in result.groups] == [("a", "b")] or result.placed == 2
    assert {u.student: u.reason for u in result.unplaced} == {
        "c": UnplacedReason.TUTORS_NEEDED_ELSEWHERE
    }


def test_no_tutors_or_no_students():
    assert form_groups(GroupInputs((), (Person("s", frozenset({1, 2})),))).placed == 0
    assert form_groups(GroupInputs((TutorInput("t", 1, frozenset({1, 2})),), ())).groups == ()


def test_same_input_and_seed_give_the_same_groups():
    import random

    rng = random.Random(3)
    week = range(0, 7 * 48)

    def free():
        return frozenset(c for c in week if rng.random() < 0.15)

    tutors = tuple(TutorInput(f"t{i}", 2, free()) for i in range(3))
    students = tuple(Person(f"s{i}", free()) for i in range(15))
    runs = [form_groups(GroupInputs(tutors, students, size=4, length=1, seed=9)) for _ in range(3)]
    assert runs[0].groups == runs[1].groups == runs[2].groups
    assert runs[0].unplaced == runs[1].unplaced


def test_locked_groups_are_kept_and_others_formed_around_them():
    evening = frozenset(range(36, 44))
    tutors = (TutorInput("t1", 2, evening), TutorInput("t2", 1, evening))
    students = tuple(Person(f"s{i}", evening) for i in range(7))
    lock = LockedGroup("t1", 40, ("s6",))
    result = form_groups(GroupInputs(tutors, students, size=3, length=2, locked=(lock,)))
    kept = [g for g in result.groups if g.locked]
    assert len(kept) == 1 and kept[0].tutor == "t1" and kept[0].start == 40
    assert "s6" in kept[0].students
    assert result.placed == 7
    assert all(abs(g.start - 40) >= 2 for g in result.groups if g.tutor == "t1" and not g.locked)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"size": 0}, "group size"),
        ({"length": 0}, "meeting length"),
        ({"locked": (LockedGroup("nobody", 36),)}, "unknown tutor"),
        ({"locked": (LockedGroup("t", 36), LockedGroup("t", 37))}, "overlap"),
    ],
)
def test_inputs_no_solver_can_mend_are_refused(kwargs, message):
    tutors = (TutorInput("t", 2, frozenset(range(36, 40))),)
    with pytest.raises(EngineError, match=message):
        form_groups(GroupInputs(tutors, (), **kwargs))


def test_duplicate_ids_are_refused():
    with pytest.raises(EngineError, match="appears twice"):
        form_groups(GroupInputs((), (Person("s", frozenset()), Person("s", frozenset()))))
