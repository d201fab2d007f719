"""Sortable dashboard tables: the columns a committee member may sort by, sorted on the server.

Rows sort on the figures as shown: an unreleased session has no count, rate or mean, so it sorts
with the other blanks (last, by date), and its order says nothing about its hidden figures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

SESSION_SORTS: dict[str, Callable[[Any], Any]] = {
    "date": lambda r: r.session.starts_at,
    "session": lambda r: r.session.title.casefold(),
    "responses": lambda r: r.responses if r.released else None,
    "audience": lambda r: r.audience,
    "rate": lambda r: r.rate,
    "overall": lambda r: r.overall if r.released else None,
}
TUTOR_SORTS: dict[str, Callable[[Any], Any]] = {
    "tutor": lambda t: (t.tutor.full_name or t.tutor.email).casefold(),
    "sessions": lambda t: len(t.results),
    "responses": lambda t: t.responses,
    "rate": lambda t: t.rate,
    "overall": lambda t: t.overall,
}


def parse_sort(raw: str, columns: dict, default: str) -> tuple[str, bool]:
    """(column, descending) from "?sort=rate" or "?sort=-rate"; anything else is the default."""
    raw = raw if isinstance(raw, str) else ""
    descending = raw.startswith("-")
    column = raw.lstrip("-")
    if column not in columns:
        return default.lstrip("-"), default.startswith("-")
    return column, descending


def sort_rows(rows: Sequence, columns: dict, column: str, descending: bool) -> list:
    """Rows by one column; blanks last whichever the direction, ties in their given order."""
    key = columns[column]
    present = [r for r in rows if key(r) is not None]
    blank = [r for r in rows if key(r) is None]
    return sorted(present, key=key, reverse=descending) + blank


def sort_links(
    query: dict[str, str], param: str, columns: dict, column: str, descending: bool
) -> dict[str, dict[str, str]]:
    """Per column: the link that sorts by it (toggling direction) and its aria-sort state."""
    links = {}
    base = {k: v for k, v in query.items() if k not in (param, "page", "tpage")}
    for name in columns:
        state = ""
        if name == column:
            state = "descending" if descending else "ascending"
        toggle = f"-{name}" if name == column and not descending else name
        links[name] = {"url": "?" + urlencode({**base, param: toggle}), "state": state}
    return links
