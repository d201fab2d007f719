"""My availability's HTML: the week grid's 196 checkboxes written in Python, and the page's
content kept per everything it shows.

Through the template engine the grid cost two thirds of a cold visit to My availability (about
1,500 variables to resolve and localise). Its HTML depends only on which shown cells are free, so
it is written once per process for each such set and kept under exactly that set (bounded): a
write elsewhere, which makes the page's `remember()` entry recompute, finds it ready.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from meded.fragment_memo import Memo
from meded.remember import render_shared

from .forms import grid_rows, shown_cells

MEMO_SIZE = 128  # a grid is some 45 kB
CONTENT_MEMO_SIZE = 128  # a page's content is some 50 kB
_memo = Memo(MEMO_SIZE)
_contents = Memo(CONTENT_MEMO_SIZE)
CONTENT = "sessions_app/smallgroups/_availability_content.html"
_SHOWN = frozenset(shown_cells())


def week_grid_html(free: frozenset[int] | set[int]) -> SafeString:
    """The grid's day headings and cells, as `_availability_content.html` lays them out."""
    key = frozenset(free) & _SHOWN
    return _memo.get(key, lambda: mark_safe(_write(key)))


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


def content_html(context: dict, forms: Callable[[], dict]) -> str:
    """The page's content with blank `forms()` (a visit, not a refused POST), rendered once per
    process for everything it shows: the grid, each dated exception (its id, dates and the
    member's own label), each busy time and its source, the feed's state and the link to Find a
    time. A write elsewhere, which makes the member's `remember()` entry recompute, finds it;
    the key holds all the member's rows it prints, so no other member's key can match it."""
    feed = context["feed"]
    key = (
        context["grid"],
        tuple((e.pk, e.starts_on, e.ends_on, e.label) for e in context["exceptions"]),
        tuple((b.starts_at, b.ends_at, b.source) for b in context["busy_blocks"]),
        (feed.fetched_at, feed.problem) if feed else None,
        context["can_find_times"],
    )
    return _contents.get(key, lambda: render_shared(CONTENT, {**context, **forms()}))
