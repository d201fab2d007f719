"""The week grid's 196 checkboxes, written in Python.

Through the template engine the grid cost two thirds of a cold visit to My availability (about
1,500 variables to resolve and localise). Its HTML depends only on which shown cells are free, so
it is written once per process for each such set and kept under exactly that set (bounded): a
write elsewhere, which makes the page's `remember()` entry recompute, finds it ready.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .forms import grid_rows, shown_cells

MEMO_SIZE = 256
_memo: dict[frozenset[int], SafeString] = {}
_SHOWN = frozenset(shown_cells())


def week_grid_html(free: frozenset[int] | set[int]) -> SafeString:
    """The grid's day headings and cells, as `_availability_content.html` lays them out."""
    key = frozenset(free) & _SHOWN
    html = _memo.get(key)
    if html is None:
        if len(_memo) >= MEMO_SIZE:
            _memo.clear()
        html = _memo[key] = mark_safe(_write(key))
    return html


def _write(free: frozenset[int]) -> str:
    rows = grid_rows(free)
    out = [
        f'<span class="availability-day" aria-hidden="true">{escape(c["day"])}</span>'
        for c in rows[0]["cells"]
    ]
    out.append("\n      ")
    for row in rows:
        time, number = escape(row["time"]), row["row"]
        shown = time if number % 2 == 0 else ""
        out.append(
            f'\n        <span class="availability-time" aria-hidden="true">{shown}</span>\n        '
        )
        for c in row["cells"]:
            label = f"{escape(c['day'])} {time}"
            checked = "checked" if c["free"] else ""
            out.append(
                f'\n        <label class="availability-cell" title="{label}">\n'
                f'          <input type="checkbox" name="cell" value="{c["cell"]}"'
                f' data-row="{number}" data-col="{c["col"]}" {checked}>\n'
                f'          <span class="visually-hidden">{label}</span>\n'
                "        </label>\n        "
            )
        out.append("\n      ")
    return "".join(out)
