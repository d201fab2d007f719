"""The society's terms: the society's own questions are asked at most once in each.

A term starts on a day of the year in the society's time zone (settings.MEDED_TERM_STARTS:
(month, day, name), earliest in the calendar first), so the change happens at local midnight
whether the clocks are on GMT or BST.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone


def term_of(moment: datetime | None = None) -> str:
    """The term a moment falls in, as a label that is also its key: "Spring 2027"."""
    local = timezone.localtime(moment or timezone.now())
    starts = sorted(settings.MEDED_TERM_STARTS)
    current = starts[-1]  # before the first start of the year: the last term of the year before
    year = local.year - 1
    for month, day, name in starts:
        if (local.month, local.day) >= (month, day):
            current, year = (month, day, name), local.year
    return f"{current[2]} {year}"
