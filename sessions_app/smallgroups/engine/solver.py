"""form_groups(): the exact CP-SAT model, solved in two lexicographic stages.

Why it is small: whether a student can join a group depends only on the group's start (the
tutor is free then by construction), so students with the same set of possible starts are one
*type*, and the model counts how many of each type meet at each start. Given the groups that
open, placing students is a transportation problem, so counting loses nothing (exact), and real
students are dealt to the counted places afterwards in a seeded order.

Stage 1 maximises the students placed and must be proven optimal; stage 2 keeps that number and
minimises the sum of squared group sizes (the most even sizes; a group opens only with a student).
"""

from __future__ import annotations

import itertools
import random
import time
from collections import defaultdict

from ortools.sat.python import cp_model

from .hand import hand_method
from .inputs import EngineError, GroupInputs
from .results import Group, GroupResult, Unplaced, UnplacedReason

Slot = tuple[str, int]  # (tutor id, start cell)


def _seeded(ids: list[str], seed: int) -> list[str]:
    out = sorted(ids)
    random.Random(seed).shuffle(out)
    return out


def _solver(inputs: GroupInputs, seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # one worker: the same input and seed give the same answer
    solver.parameters.random_seed = inputs.seed
    solver.parameters.max_deterministic_time = max(seconds, 0.1)
    return solver


def _even_split(
    arriving: int, opened: list[Slot], base: dict[Slot, int], size: int
) -> dict[Slot, int]:
    """Newcomers at one start dealt one at a time to the smallest opened group with room."""
    out = {slot: 0 for slot in opened}
    for _ in range(arriving):
        room = [sl for sl in opened if base[sl] + out[sl] < size]
        if not room:
            break
        slot = min(room, key=lambda sl: (base[sl] + out[sl], opened.index(sl)))
        out[slot] += 1
    return out


def _hint_hand_method(model, inputs: GroupInputs, x, z, types) -> None:
    """Start the search from the hand method's answer: a good first solution costs nothing."""
    type_of = {sid: k for k, members in enumerate(types.values()) for sid in members}
    counts: dict[tuple[int, int], int] = defaultdict(int)
    chosen = set()
    for g in hand_method(inputs).groups:
        chosen.add((g.tutor, g.start))
        for sid in g.students:
            counts[(type_of[sid], g.start)] += 1
    for slot, var in x.items():
        model.AddHint(var, 1 if slot in chosen else 0)
    for key, var in z.items():
        model.AddHint(var, counts.get(key, 0))


def form_groups(inputs: GroupInputs) -> GroupResult:
    """Groups with tutors and weekly starts; the most students placed, then the most even sizes."""
    began = time.perf_counter()
    inputs.validate()
    size, seed = inputs.size, inputs.seed
    tutor_order = _seeded([t.id for t in inputs.tutors], seed)
    tutors = {t.id: t for t in inputs.tutors}
    locked = {(g.tutor, g.start): g for g in inputs.locked}
    locked_students = {sid for g in inputs.locked for sid in g.students}

    slots: list[Slot] = []
    for tid in tutor_order:
        starts = set(inputs.starts_within(tutors[tid].free)) if tutors[tid].max_groups else set()
        starts |= {s for (t, s) in locked if t == tid}
        slots.extend((tid, s) for s in sorted(starts))
    open_starts = {s for _, s in slots}

    # students (not locked) grouped into types by the starts they can make
    student_starts: dict[str, list[int]] = {}
    types: dict[tuple[int, ...], list[str]] = defaultdict(list)
    by_id = {p.id: p for p in inputs.students}
    for sid in _seeded(list(by_id), seed):
        starts = inputs.starts_within(by_id[sid].free)
        student_starts[sid] = starts
        if sid in locked_students:
            continue
        compat = tuple(s for s in starts if s in open_starts)
        if compat:
            types[compat].append(sid)

    model = cp_model.CpModel()
    x = {slot: model.NewBoolVar(f"x{slot}") for slot in slots}
    base = {slot: len(locked[slot].students) if slot in locked else 0 for slot in slots}
    for slot in locked:
        model.Add(x[slot] == 1)
    by_tutor: dict[str, list[int]] = defaultdict(list)
    at_start_slots: dict[int, list[Slot]] = defaultdict(list)
    for tid, s in slots:
        by_tutor[tid].append(s)
        at_start_slots[s].append((tid, s))
    for tid, starts in by_tutor.items():
        model.Add(sum(x[(tid, s)] for s in starts) <= tutors[tid].max_groups)
        for s in starts:  # two starts overlap iff both lie in the window beginning at the first
            window = [x[(tid, t)] for t in starts if s <= t < s + inputs.length]
            if len(window) > 1:
                model.Add(sum(window) <= 1)
    z: dict[tuple[int, int], cp_model.IntVar] = {}
    at_start: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for k, (compat, members) in enumerate(types.items()):
        row = []
        for s in compat:
            z[(k, s)] = var = model.NewIntVar(0, len(members), f"z{k},{s}")
            row.append(var)
            at_start[s].append(var)
        model.Add(sum(row) <= len(members))
    for s, here in at_start_slots.items():
        locked_here = sum(base[slot] for slot in here)
        model.Add(sum(at_start[s]) + locked_here <= size * sum(x[slot] for slot in here))
    placed = sum(z.values())
    if not locked:
        _hint_hand_method(model, inputs, x, z, types)

    # stage 1: the most students placed, proven (deterministic work limit, not wall time)
    model.Maximize(placed)
    solver = _solver(inputs, inputs.time_limit)
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise EngineError("no grouping found in the time allowed")
    optimal = status == cp_model.OPTIMAL
    best = round(solver.ObjectiveValue()) if z else 0
    bound = int(solver.BestObjectiveBound()) if z else 0
    counts = {key: solver.Value(var) for key, var in z.items()}
    opened = {slot for slot in slots if solver.Value(x[slot])}

    # stage 2: keep that many placed, make sizes as even as possible (sum of squared sizes)
    model.Add(placed == best)
    model.clear_hints()  # stage 1's hints would clash with stage 2's (an invalid model)
    extra = {slot: model.NewIntVar(0, size - base[slot], f"n{slot}") for slot in slots}
    cost = []
    hint: dict[Slot, int] = {}
    for s, here in at_start_slots.items():
        model.Add(sum(at_start[s]) == sum(extra[slot] for slot in here))
        arriving = sum(counts[(k, s2)] for (k, s2) in counts if s2 == s)
        hint.update(_even_split(arriving, [sl for sl in here if sl in opened], base, size))
    for slot in slots:
        if slot not in locked:
            model.Add(extra[slot] >= x[slot])
            model.Add(extra[slot] <= size * x[slot])
        steps = [model.NewBoolVar(f"b{slot},{j}") for j in range(size)]
        for a, b in itertools.pairwise(steps):
            model.Add(a >= b)
        model.Add(sum(steps) == base[slot] + extra[slot])
        cost.extend((2 * j + 1) * step for j, step in enumerate(steps))
        model.AddHint(extra[slot], hint.get(slot, 0))
        model.AddHint(x[slot], 1 if slot in locked or hint.get(slot, 0) else 0)
    for key, var in z.items():
        model.AddHint(var, counts[key])
    model.Minimize(sum(cost))
    solver2 = _solver(inputs, inputs.balance_time)
    status2 = solver2.Solve(model)
    if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        final_x = {slot: solver2.Value(x[slot]) for slot in slots}
        final_extra = {slot: solver2.Value(extra[slot]) for slot in slots}
        counts = {key: solver2.Value(var) for key, var in z.items()}
    else:  # keep stage 1's answer, split evenly at each start
        final_x = {slot: int(slot in locked or hint.get(slot, 0) > 0) for slot in slots}
        final_extra = {slot: hint.get(slot, 0) for slot in slots}
    balanced = status2 == cp_model.OPTIMAL

    # deal real students to the counted places, in the seeded order
    pools = {k: list(members) for k, members in enumerate(types.values())}
    groups: list[Group] = []
    for s in sorted(open_starts):
        arriving: list[str] = []
        for k in range(len(pools)):
            if (k, s) in z:
                take = counts[(k, s)]
                arriving.extend(pools[k][:take])
                del pools[k][:take]
        for tid in tutor_order:
            slot = (tid, s)
            if slot not in x or not final_x[slot]:
                continue
            take = final_extra[slot]
            members = (
                (*locked[slot].students, *arriving[:take])
                if slot in locked
                else tuple(arriving[:take])
            )
            del arriving[:take]
            groups.append(Group(tid, s, tuple(members), locked=slot in locked))
    groups.sort(key=lambda g: (g.start, g.tutor))
    placed_ids = {sid for g in groups for sid in g.students}
    formed_starts = {g.start for g in groups}
    unplaced = []
    for sid in sorted(by_id):
        if sid in placed_ids:
            continue
        starts = student_starts[sid]
        if not starts:
            reason = UnplacedReason.NO_FREE_TIME
        elif not any(s in open_starts for s in starts):
            reason = UnplacedReason.NO_TUTOR_OVERLAP
        elif any(s in formed_starts for s in starts):
            reason = UnplacedReason.GROUPS_FULL
        else:
            reason = UnplacedReason.TUTORS_NEEDED_ELSEWHERE
        unplaced.append(Unplaced(sid, reason))
    return GroupResult(
        groups=tuple(groups),
        unplaced=tuple(unplaced),
        optimal=optimal,
        balanced=balanced,
        upper_bound=max(bound, best) + sum(len(g.students) for g in inputs.locked),
        seconds=time.perf_counter() - began,
    )
