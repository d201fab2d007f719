"""Pieces of the sessions pages rendered once per process under exactly what they show.

A cold visit (the first after any write) of the sessions list, calendar or a session's page
rendered its filter panel, every card, the month grid and the page's facts through the template
engine again, although their HTML depends only on a few values: the query and the choices for
the panel, a card's own fields and badge, the month's entries, the session's columns, tutors and
years and the member's role for its page. Each is kept in this process's memory keyed on those
values (the key IS the content, so a write that changes a value is a new key, never a stale
piece); the memos are bounded, like meded_layout's. A session's page for those who run it (its
check-in code, join link) is keyed on their role, so it is never another member's.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from meded.fragment_memo import Memo
from meded.remember import render_shared

MEMO_SIZE = 2000
LARGE_MEMO_SIZE = 256  # for pieces of 5-40 kB: a list's content, a filter panel, a month
_panels = Memo(LARGE_MEMO_SIZE)
_cards = Memo(MEMO_SIZE)
_grids = Memo(LARGE_MEMO_SIZE)
_pages = Memo(LARGE_MEMO_SIZE)
_lists_memo = Memo(LARGE_MEMO_SIZE)


def _memoised(memo: Memo, key: tuple, render: Any) -> SafeString:
    """`render()` once per process for `key`, as safe HTML."""
    return memo.get(key, lambda: mark_safe(render()))


def _lists(query) -> tuple:
    return tuple((key, tuple(values)) for key, values in sorted(query.lists()))


def filters_panel(form, query) -> SafeString:
    """`_filters.html` for this form and query: keyed on the query (the view, week and month it
    keeps), the form's data (values and errors) and its module and topic choices."""
    key = (
        _lists(query),
        _lists(form.data),
        repr(form.fields["module"].choices),
        repr(form.fields["topic"].choices),
    )
    context = {"form": form, "request": SimpleRequest(query)}
    render = lambda: render_to_string("sessions_app/_filters.html", context)  # noqa: E731
    return _memoised(_panels, key, render)


class SimpleRequest:
    """What `_filters.html` reads of a request: its query only."""

    def __init__(self, query):
        self.GET = query


class Card(NamedTuple):
    """Everything a session's card on the list prints."""

    pk: int
    title: str
    badge: str  # the public state, or a hole for the places (booking.state.public_badge)
    starts_at: datetime
    ends_at: datetime
    kind_label: str
    delivery_label: str
    venue: str
    delivery: str
    has_topic: bool
    module: str
    code: str
    years: tuple[int, ...]
    tutors: tuple[str, ...]


def card_html(card: Card) -> SafeString:
    """A session's card (`_session_card.html`), rendered once per process per content."""
    context = {"s": card._replace(badge=mark_safe(card.badge))}
    return _memoised(
        _cards,
        tuple(card),
        lambda: render_to_string("sessions_app/_session_card.html", context).strip(),
    )


class Entry(NamedTuple):
    """A session in a calendar cell: its id (the week's "Booked" mark) and its link."""

    pk: int
    link: SafeString


_MARK = "918273645"


@cache
def _href_pattern(name: str) -> str:
    return reverse(f"sessions_app:{name}", args=[int(_MARK)])


def session_href(name: str, pk: int) -> str:
    """`{% url 'sessions_app:<name>' pk %}` for a page taking a session's id, reversed once per
    process (a reversal per row was a good part of a list's rendering)."""
    return _href_pattern(name).replace(_MARK, str(pk))


def calendar_entry(pk: int, title: str, starts_at: datetime) -> Entry:
    """ "HH:MM title" linking to the session's page, as the calendar templates wrote it with a
    `{% url %}` and two filters per session (twice per session on the month grid)."""
    start = timezone.localtime(starts_at).strftime("%H:%M")
    return Entry(
        pk, format_html('<a href="{}">{} {}</a>', session_href("detail", pk), start, title)
    )


def _days(days) -> tuple:
    return tuple((day, tuple(entries)) for day, entries in days)


def month_grid(weeks: list, first, today) -> SafeString:
    """`_month_grid.html`: keyed on the month, today and every day's entries."""
    key = (first, today, tuple(_days(week) for week in weeks))
    context = {"weeks": weeks, "first": first, "today": today}
    render = lambda: render_to_string("sessions_app/_month_grid.html", context)  # noqa: E731
    return _memoised(_grids, key, render)


def week_grid(days: list, today) -> SafeString:
    """`_week_grid.html`: keyed on today and every day's entries."""
    context = {"days": days, "today": today}
    render = lambda: render_to_string("sessions_app/_week_grid.html", context)  # noqa: E731
    return _memoised(_grids, ("week", today, _days(days)), render)


def session_page_html(key: tuple, context: dict) -> SafeString:
    """`_detail_content.html` (shared by every member with the same role on the session), keyed
    by the caller on every value of the session, its topic, series, tutors and years it shows
    and the member's role."""
    return _memoised(
        _pages, key, lambda: render_shared("sessions_app/_detail_content.html", context)
    )


def list_content(context: dict) -> SafeString:
    """`_list_content.html`, keyed on everything it prints: the filter panel and each day's
    cards (their HTML, kept above), the page and the counts, the week switch and the query its
    links keep."""
    page, form = context["page"], context["form"]
    key = (
        context["filters"],
        tuple((day, tuple(cards)) for day, cards in context["days"]),
        (page.number, page.paginator.num_pages, page.paginator.count),
        context["today"],
        context["when"],
        context["window"],
        context["keep"],
        form.cleaned_data.get("year"),
        _lists(context["request"].GET),
    )
    render = lambda: render_to_string("sessions_app/_list_content.html", context)  # noqa: E731
    return _memoised(_lists_memo, key, render)
