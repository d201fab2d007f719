"""The society's time zone as one compact VTIMEZONE: a STANDARD and a DAYLIGHT part, each with a
yearly RRULE (the form Google, Apple and Outlook export), not every transition since 1970 as
RDATEs (some clients read those wrongly and place winter sessions an hour off).

Derived from the zone's two changes in the current year (month, weekday, which week, local
time), so it holds for any zone whose rule is "the nth/last <weekday> of <month>"; a zone
without summer time gets a STANDARD part alone. Built once per process (lru_cache): it is the
same text for every calendar file.
"""

from __future__ import annotations

import calendar as cal
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Timezone

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
ANCHOR_YEAR = 1970


def _offset(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _transitions(tz: ZoneInfo, year: int) -> list[datetime]:
    """The instants (UTC, to the minute) when the zone's offset changes within `year`."""
    found = []
    hour = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    before = hour.astimezone(tz).utcoffset()
    while hour < end:
        nxt = hour + timedelta(hours=1)
        after = nxt.astimezone(tz).utcoffset()
        if after != before:
            lo = hour
            while (lo + timedelta(minutes=1)).astimezone(tz).utcoffset() == before:
                lo += timedelta(minutes=1)
            found.append(lo + timedelta(minutes=1))
            before = after
        hour = nxt
    return found


def _byday(day: date) -> str:
    last = cal.monthrange(day.year, day.month)[1]
    week = -1 if day.day + 7 > last else (day.day - 1) // 7 + 1
    return f"{week}{DAYS[day.weekday()]}"


def _nth_weekday(year: int, month: int, byday: str) -> date:
    week, weekday = int(byday[:-2]), DAYS.index(byday[-2:])
    days = [
        date(year, month, d)
        for d in range(1, cal.monthrange(year, month)[1] + 1)
        if date(year, month, d).weekday() == weekday
    ]
    return days[week - 1] if week > 0 else days[week]


def _part(tz: ZoneInfo, instant: datetime) -> str:
    before = (instant - timedelta(minutes=1)).astimezone(tz)
    after = instant.astimezone(tz)
    local = instant + before.utcoffset()  # wall-clock time in the old offset, as RFC 5545 wants
    byday = _byday(local.date())
    start = _nth_weekday(ANCHOR_YEAR, local.month, byday)
    kind = "DAYLIGHT" if after.dst() else "STANDARD"
    return "\r\n".join(
        [
            f"BEGIN:{kind}",
            f"TZOFFSETFROM:{_offset(before.utcoffset())}",
            f"TZOFFSETTO:{_offset(after.utcoffset())}",
            f"TZNAME:{after.tzname()}",
            f"DTSTART:{start:%Y%m%d}T{local:%H%M%S}",
            f"RRULE:FREQ=YEARLY;BYMONTH={local.month};BYDAY={byday}",
            f"END:{kind}",
        ]
    )


@lru_cache(maxsize=8)
def vtimezone_text(name: str, year: int | None = None) -> str:
    """The VTIMEZONE block for zone `name` (CRLF lines), from its rule in `year` (default: now)."""
    tz = ZoneInfo(name)
    year = year or datetime.now(UTC).year
    changes = _transitions(tz, year)
    if changes:
        parts = [_part(tz, instant) for instant in changes[:2]]
    else:
        now = datetime(year, 1, 1, tzinfo=UTC).astimezone(tz)
        offset = _offset(now.utcoffset())
        parts = [
            "\r\n".join(
                [
                    "BEGIN:STANDARD",
                    f"TZOFFSETFROM:{offset}",
                    f"TZOFFSETTO:{offset}",
                    f"TZNAME:{now.tzname()}",
                    f"DTSTART:{ANCHOR_YEAR}0101T000000",
                    "END:STANDARD",
                ]
            )
        ]
    return "\r\n".join(
        ["BEGIN:VTIMEZONE", f"TZID:{name}", f"X-LIC-LOCATION:{name}", *parts, "END:VTIMEZONE"]
    )


@lru_cache(maxsize=8)
def vtimezone(name: str) -> Timezone:
    """The same block as an icalendar component, parsed once per process."""
    wrapped = f"BEGIN:VCALENDAR\r\n{vtimezone_text(name)}\r\nEND:VCALENDAR\r\n"
    (component,) = Calendar.from_ical(wrapped).walk("VTIMEZONE")
    return component
