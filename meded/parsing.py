"""Numbers from what a browser sent: ids, years, page numbers.

`str.isdigit()` accepts "²" and "٣" that `int()` refuses, and `int()` refuses more than 4,300
digits: both were 500s. These helpers take ASCII digits only, within the range the database
holds, and answer None for anything else, so a view treats a bad value as "not there".
"""

from __future__ import annotations

import re
from datetime import date

_DIGITS = re.compile(r"[0-9]{1,18}")  # 18 digits always fit a 64-bit (bigint) column
BIGINT_MAX = 2**63 - 1


def parse_int(raw, *, low: int = 0, high: int = BIGINT_MAX) -> int | None:
    """The integer in `raw` when it is plain ASCII digits within [low, high], else None."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and _DIGITS.fullmatch(raw.strip()):
        value = int(raw.strip())
    else:
        return None
    return value if low <= value <= high else None


def parse_id(raw) -> int | None:
    """A primary key (1 and up) or None."""
    return parse_int(raw, low=1)


def parse_ids(values) -> list[int]:
    """The valid ids among `values`, in order; the rest are dropped."""
    return [v for v in (parse_id(raw) for raw in values) if v is not None]


# Pages step days, weeks and months either way from a date: outside these bounds `date`
# arithmetic overflows (year 1, year 9999), and no society plans teaching there.
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2999, 12, 31)


def parse_date(raw) -> date | None:
    """An ISO date (YYYY-MM-DD) within the bounds above, else None."""
    try:
        parsed = date.fromisoformat(str(raw or "").strip())
    except ValueError:
        return None
    return parsed if EARLIEST_DATE <= parsed <= LATEST_DATE else None
