"""My bookings' reads, compiled once per process (meded/prepared.py).

A cold visit of /sessions/mine/ compiled three querysets with their joins (the coming bookings,
the paginator's count and the past page), each about a millisecond of ORM work. These are the
same queries (`selectors.my_coming_bookings`, `my_past_bookings`), prepared, reading with each
booking only what the page prints of its session.
"""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from django.core.paginator import Page
from django.db.models import F, QuerySet

from meded.fragment_memo import Memo
from meded.prepared import Prepared, PreparedForIds, PreparedPages
from meded.remember import render_shared
from sessions_app.booking.models import Booking
from sessions_app.booking.selectors import my_coming_bookings, my_past_bookings
from sessions_app.scheduling.fragments import session_href
from sessions_app.scheduling.models import TeachingSession

PAST_PAGE = 25
HREFS = ("detail", "claim", "ics", "cancel")
SESSION_FIELDS = ("title", "starts_at", "ends_at", "delivery", "venue", "status")


def _shown(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    """The bookings with what the page prints of their session, as `session_<field>`."""
    fields = {f"session_{name}": F(f"session__{name}") for name in SESSION_FIELDS}
    return bookings.select_related(None).annotate(**fields)


_COMING = Prepared(lambda user_pk, now: _shown(my_coming_bookings(user_pk, now)), 2)
# A page of the past bookings' ids (its count in SQL: a long history is never read whole).
_PAST_IDS = PreparedPages(
    lambda user_pk, now: my_past_bookings(user_pk, now).values_list("pk"), 2, PAST_PAGE
)
_PAST_ROWS = PreparedForIds(lambda ids: _shown(Booking.objects.filter(pk__in=ids)))


def _with_sessions(bookings: list[Booking]) -> list[Booking]:
    """Each booking's session (what the page prints of it) and the addresses of its pages."""
    for b in bookings:
        fields = {name: getattr(b, f"session_{name}") for name in SESSION_FIELDS}
        b.session = TeachingSession(pk=b.session_id, **fields)
        b.href = {name: session_href(name, b.session_id) for name in HREFS}
    return bookings


def coming(user_pk: int, now: datetime) -> list[Booking]:
    """The member's bookings of sessions not yet over, soonest first, with their place in the
    queue (`n_ahead`)."""
    return _with_sessions(_COMING.instances(user_pk, now))


def past_page(user_pk: int, now: datetime, number) -> tuple[Page, list[Booking]]:
    """A page of the member's past and cancelled bookings, latest session first."""
    page = _PAST_IDS.page(number, user_pk, now)
    shown = [pk for (pk,) in page.object_list]
    page.object_list = shown
    found = {b.pk: b for b in _with_sessions(_PAST_ROWS.instances(ids=shown))}
    return page, [found[pk] for pk in shown]


MEMO_SIZE = 256  # a page's content is some 5-15 kB
_contents = Memo(MEMO_SIZE)


def _lists(query) -> tuple:
    return tuple((key, tuple(values)) for key, values in sorted(query.lists()))


def content_html(context: dict, query) -> str:
    """`_mine.html` for these bookings, rendered once per process per everything it prints: each
    coming booking (its status, queue place, offer deadline, session and whether it started),
    each past one (status, why cancelled, attendance, session), the page and the query its
    page links keep. The key holds the member's booking ids, so no other member's matches."""
    coming = tuple(
        (b.pk, b.status, b.n_ahead, b.offer_expires_at, _session(b), b.session.has_started)
        for b in context["upcoming"]
    )
    past = tuple(
        (b.pk, b.status, b.cancel_reason, b.cancelled_late, b.attended, _session(b))
        for b in context["past"]
    )
    page = context["page"]
    key = (coming, past, page.number, page.paginator.num_pages, _lists(query))
    shown = {**context, "request": SimpleNamespace(GET=query)}
    return _contents.get(key, lambda: render_shared("sessions_app/_mine.html", shown))


def _session(b: Booking) -> tuple:
    return (b.session_id, *(getattr(b.session, name) for name in SESSION_FIELDS))
