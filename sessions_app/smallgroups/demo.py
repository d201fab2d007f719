"""Demo availability: every demo member keeps a week of evenings and weekend windows, and the
demo student has an exam block; all through the services (a `seed_demo` receiver)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from .engine.grid import CELLS_PER_DAY
from .selectors import exceptions_of
from .services import add_exception, save_week

EVENING, WEEKEND = (34, 44), (20, 36)  # 17:00-22:00, 10:00-18:00


def demo_week(rng: random.Random) -> list[int]:
    cells: set[int] = set()
    for _ in range(rng.randint(2, 5)):
        day = rng.randrange(7)
        lo, hi = WEEKEND if day >= 5 else EVENING
        length = rng.randint(2, 6)
        start = rng.randint(lo, max(lo, hi - length))
        base = day * CELLS_PER_DAY
        cells.update(range(base + start, base + min(hi, start + length)))
    return sorted(cells)


def seed_availability(sender=None, demo=None, **kwargs) -> None:
    rng = random.Random(1414)
    members = {m.pk: m for m in (*demo.students, *demo.tutors, *demo.committee) if m}
    for extra in (demo.student, demo.tutor, demo.chair):
        if extra:
            members[extra.pk] = extra
    for member in members.values():
        save_week(member, demo_week(rng))
    if demo.student and not exceptions_of(demo.student).exists():
        first = timezone.localdate() + timedelta(days=21)
        add_exception(demo.student, first, first + timedelta(days=4), "Exams")
