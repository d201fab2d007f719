"""The weekly grid: cell = day * 48 + half-hours since midnight (Monday 00:00 is cell 0)."""

from __future__ import annotations

CELLS_PER_DAY = 48
DAYS = 7
CELLS_PER_WEEK = CELLS_PER_DAY * DAYS
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_day(text: str) -> int:
    """`Mon`..`Sun` or the full name, any case -> 0..6; ValueError with a readable message."""
    key = text.strip().lower()
    for i, (short, full) in enumerate(zip(DAY_NAMES, _FULL_NAMES, strict=True)):
        if key in (short.lower(), full):
            return i
    raise ValueError(f"unknown day {text.strip()!r} (use Mon..Sun)")


def parse_time(text: str, *, allow_midnight_end: bool = False) -> int:
    """`HH:MM` on the 30-minute grid -> half-hours since midnight (24:00 only as an end)."""
    raw = text.strip()
    parts = raw.split(":")
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts) or len(parts[1]) != 2:
        raise ValueError(f"time {raw!r} is not HH:MM")
    hours, minutes = int(parts[0]), int(parts[1])
    if minutes >= 60 or hours > 24 or (hours == 24 and (minutes or not allow_midnight_end)):
        raise ValueError(f"time {raw!r} is not a time of day")
    if minutes % 30:
        raise ValueError(f"time {raw!r} is not on the 30-minute grid (:00 or :30)")
    return hours * 2 + minutes // 30


def time_label(half_hours: int) -> str:
    """Half-hours since midnight -> `HH:MM`."""
    return f"{half_hours // 2:02d}:{30 * (half_hours % 2):02d}"


def cell_label(cell: int) -> tuple[str, str]:
    """A week cell -> (`Mon`, `HH:MM`)."""
    return DAY_NAMES[cell // CELLS_PER_DAY], time_label(cell % CELLS_PER_DAY)


def window_cells(day: int, start: int, end: int) -> range:
    """The week cells of a free window on one day (start, end in half-hours, end exclusive)."""
    return range(day * CELLS_PER_DAY + start, day * CELLS_PER_DAY + end)
