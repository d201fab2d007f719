"""Benchmark the small-group engine: students placed against the proven optimum and the hand method.

    .venv/bin/python bench/small_groups.py [--seed 7] [--tutors 50] [--students 400]
        [--size 6] [--minutes 60] [--repeat 1]

Instance (seeded): tutors lead 1 or 2 groups (p = 0.6 / 0.4); everyone is free only on a few
evenings (Mon-Fri 18:00-22:00) and weekend windows (Sat/Sun 10:00-18:00): each person has 1-3
windows of 1-2.5 hours, placed at random on the 30-minute grid. Tutors and students draw from the
same generator, so some students overlap with nobody.

Figures: students placed by the engine, the solver's proven upper bound (equal when the optimum
is proven), the hand method (each tutor in turn takes the slot most unplaced students can make),
the engine's extra students as a ratio to the hand method, and seconds for each (wall clock,
and the engine's CPU time: on a shared machine the wall clock measures the neighbours too).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sessions_app.smallgroups.engine import (
    GroupInputs,
    Person,
    TutorInput,
    form_groups,
    hand_method,
)
from sessions_app.smallgroups.engine.grid import CELLS_PER_DAY

EVENING = (36, 44)  # 18:00-22:00 in half-hours
WEEKEND = (20, 36)  # 10:00-18:00


def free_cells(rng: random.Random) -> frozenset[int]:
    cells: set[int] = set()
    for _ in range(rng.randint(1, 3)):
        day = rng.randrange(7)
        lo, hi = WEEKEND if day >= 5 else EVENING
        length = rng.randint(2, 5)
        start = rng.randint(lo, max(lo, hi - length))
        cells.update(
            range(day * CELLS_PER_DAY + start, day * CELLS_PER_DAY + min(hi, start + length))
        )
    return frozenset(cells)


def instance(seed: int, n_tutors: int, n_students: int, size: int, minutes: int) -> GroupInputs:
    rng = random.Random(seed)
    tutors = tuple(
        TutorInput(f"t{i:03d}", 1 if rng.random() < 0.6 else 2, free_cells(rng))
        for i in range(n_tutors)
    )
    students = tuple(Person(f"s{i:04d}", free_cells(rng)) for i in range(n_students))
    return GroupInputs(tutors, students, size=size, length=minutes // 30, seed=seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tutors", type=int, default=50)
    parser.add_argument("--students", type=int, default=400)
    parser.add_argument("--size", type=int, default=6)
    parser.add_argument("--minutes", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=1, help="seeds seed..seed+repeat-1")
    args = parser.parse_args()
    print(f"cpus={os.cpu_count()} python={sys.version.split()[0]}")
    print(
        "seed  tutors students capacity | engine bound optimal wall_s cpu_s "
        "| hand  sec | extra  ratio"
    )
    for seed in range(args.seed, args.seed + args.repeat):
        inputs = instance(seed, args.tutors, args.students, args.size, args.minutes)
        capacity = sum(t.max_groups for t in inputs.tutors) * args.size
        t0, c0 = time.perf_counter(), time.process_time()
        best = form_groups(inputs)
        t_engine, c_engine = time.perf_counter() - t0, time.process_time() - c0
        t0 = time.perf_counter()
        hand = hand_method(inputs)
        t_hand = time.perf_counter() - t0
        extra = best.placed - hand.placed
        ratio = best.placed / hand.placed if hand.placed else float("inf")
        print(
            f"{seed:<5} {args.tutors:>6} {args.students:>8} {capacity:>8} | {best.placed:>6} "
            f"{best.upper_bound:>5} {'yes' if best.optimal else 'no':>7} "
            f"{t_engine:>6.1f} {c_engine:>5.1f} | "
            f"{hand.placed:>4} {t_hand:>4.2f} | {extra:>+5} {ratio:>5.2f}x"
        )


if __name__ == "__main__":
    main()
