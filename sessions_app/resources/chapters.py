"""Chapters of a recording as the tutor types them, one a line: "4:30 Murmurs" (m:ss or
h:mm:ss, then a title). Pure Python: the form checks them, the page turns them into buttons
that jump the player, and a WebVTT chapters track can be built from them."""

from __future__ import annotations

import re
from dataclasses import dataclass

LINE = re.compile(r"^\s*(?:(\d{1,2}):)?(\d{1,2}):(\d{2})\s+[-\u2013\u00b7]?\s*(.+?)\s*$")


@dataclass(frozen=True)
class Chapter:
    seconds: int
    title: str

    @property
    def label(self) -> str:
        return format_time(self.seconds)


def format_time(seconds: int) -> str:
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def parse_chapters(text: str) -> list[Chapter]:
    """The chapters in time order; ValueError naming every bad line ("Line 2: ...")."""
    chapters, problems = [], []
    for n, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip():
            continue
        match = LINE.match(raw)
        if not match:
            problems.append(f'Line {n}: write a time then a title, e.g. "4:30 Murmurs".')
            continue
        hours, minutes, secs, title = match.groups()
        if int(secs) > 59 or (hours and int(minutes) > 59):
            problems.append(f"Line {n}: {raw.strip().split()[0]} is not a time.")
            continue
        seconds = int(hours or 0) * 3600 + int(minutes) * 60 + int(secs)
        if chapters and seconds <= chapters[-1].seconds:
            problems.append(f"Line {n}: chapters go in time order, each after the one before.")
            continue
        chapters.append(Chapter(seconds, title[:120]))
    if problems:
        raise ValueError(" ".join(problems))
    return chapters
