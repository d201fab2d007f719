"""Demo availability: every demo member keeps a week of evenings and weekend windows, and the
demo student has an exam block; some members imported busy times from their calendar (a weekly
club evening and a day away), all through the services (a `seed_demo` receiver)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from .busy_times import import_file
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
    for member in [demo.student, demo.tutor, *list(members.values())[:12]]:
        if member:
            import_file(member, demo_calendar(rng))


def demo_calendar(rng: random.Random) -> bytes:
    """A member's own calendar: a weekly evening for ten weeks and one whole day away."""
    today = timezone.localdate()
    evening = today + timedelta(days=rng.randrange(1, 8))
    away = evening + timedelta(days=7 * rng.randrange(1, 5) + 3)  # another weekday
    hour = rng.choice((17, 18, 19))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//meded demo//EN",
        "BEGIN:VEVENT",
        "UID:club@demo.meded.test",
        "SUMMARY:Club training",
        f"DTSTART;TZID=Europe/London:{evening:%Y%m%d}T{hour:02d}0000",
        f"DTEND;TZID=Europe/London:{evening:%Y%m%d}T{hour + 1:02d}3000",
        "RRULE:FREQ=WEEKLY;COUNT=10",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:away@demo.meded.test",
        "SUMMARY:Away",
        f"DTSTART;VALUE=DATE:{away:%Y%m%d}",
        f"DTEND;VALUE=DATE:{away + timedelta(days=1):%Y%m%d}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines).encode()
