"""Busy times out of a member's calendar file (.ics): every event that blocks time, repeats
expanded, as UTC intervals. Pure: icalendar and recurring-ical-events, no Django.

Only the times leave this module; titles, places and notes are read by nobody.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

MAX_BYTES = 2 * 1024 * 1024
MAX_BLOCKS = 5000


class CalendarFileError(ValueError):
    """A calendar that cannot be read; the message is for the member."""


Interval = tuple[datetime, datetime]


def _moment(value, tz: ZoneInfo) -> datetime:
    """A DTSTART/DTEND value as an aware datetime: a date is local midnight, floating is local."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=tz)
    raise CalendarFileError("An event has a start or end that is not a date or a time.")


def _blocks_time(event) -> bool:
    if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
        return False  # shown as free in the member's own calendar
    return str(event.get("STATUS", "")).upper() != "CANCELLED"


def busy_intervals(data: bytes, first: datetime, last: datetime, tz: ZoneInfo) -> list[Interval]:
    """The busy times between `first` and `last` (aware), merged, in UTC, earliest first."""
    if len(data) > MAX_BYTES:
        raise CalendarFileError(f"The calendar is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as exc:  # a parser fed with anything: every failure is the file's
        raise CalendarFileError("This is not a calendar file (.ics) we can read.") from exc
    if getattr(calendar, "name", "") != "VCALENDAR":
        raise CalendarFileError("This is not a calendar file (.ics) we can read.")
    found: list[Interval] = []
    try:
        for event in recurring_ical_events.of(calendar, components=["VEVENT"]).between(first, last):
            if not _blocks_time(event):
                continue
            start = _moment(event.DTSTART, tz)
            end = _moment(event.DTEND, tz) if event.get("DTEND") or event.get("DURATION") else None
            if end is None:
                all_day = not isinstance(event.DTSTART, datetime)
                end = start + (timedelta(days=1) if all_day else timedelta(0))
            if end <= start:
                continue
            found.append((start.astimezone(UTC), end.astimezone(UTC)))
            if len(found) > MAX_BLOCKS:
                raise CalendarFileError(
                    f"The calendar has more than {MAX_BLOCKS} events in the coming months."
                )
    except CalendarFileError:
        raise
    except Exception as exc:
        raise CalendarFileError(
            "An event in this calendar has dates or repeats we cannot read."
        ) from exc
    return merge(found)


def merge(intervals: list[Interval]) -> list[Interval]:
    """Overlapping or touching intervals become one."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
