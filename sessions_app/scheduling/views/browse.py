"""Finding teaching: the list with filters, the month calendar, a session's page, a series."""

from __future__ import annotations

import calendar as pycal
import copy
import re
import secrets
from datetime import date, timedelta
from types import SimpleNamespace

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from meded.parsing import parse_date
from meded.remember import (
    member_key,
    member_parts,
    minute,
    remember,
    remember_html,
    render_shared,
    with_csrf,
)
from meded.roles import is_committee, is_tutor, member_required
from sessions_app.booking import selectors as booking_selectors
from sessions_app.booking.attendance import checkin_open
from sessions_app.booking.calendar import add_links, session_ics
from sessions_app.booking.fingerprint import member_bookings
from sessions_app.booking.forms import CheckInForm
from sessions_app.booking.models import Booking
from sessions_app.booking.services import undo_deadline
from sessions_app.booking.state import (
    MINE,
    badge_html,
    booking_state,
    fill_own,
    fill_places,
    hole_ids,
)
from sessions_app.booking.waitlist import waiting_position
from sessions_app.scheduling import selectors
from sessions_app.scheduling.forms import SessionFilterForm
from sessions_app.scheduling.fragments import (
    calendar_entry,
    card_html,
    filters_panel,
    list_content,
    month_grid,
    session_page_html,
    week_grid,
)
from sessions_app.scheduling.listing import list_page, period_rows
from sessions_app.scheduling.models import TeachingSession
from sessions_app.scheduling.session_page import SessionPage, session_page
from sessions_app.scheduling.views.common import visible_session


def filter_form(query, user) -> SessionFilterForm:
    """The member's own year is the default until they choose otherwise."""
    data = query.copy()
    for key in ("page", "month", "week", "view", "when"):
        data.pop(key, None)
    if not data and user.year_number:
        data["year"] = str(user.year_number)
    return SessionFilterForm(data)


WHEN = {"this": "This week", "next": "Next week", "all": "Everything coming up"}


def week_window(when: str, today: date) -> tuple[date, date] | None:
    """Monday to Sunday of this week or next; None for everything coming up."""
    if when not in ("this", "next"):
        return None
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7 if when == "next" else 0)
    return monday, monday + timedelta(days=6)


@member_required
def session_list(request):
    """Opens on this week for the member's year, grouped by day; next week or everything on
    request. Chosen dates (From/To) take over from the week switch.

    The content is the same for every member with the same query and year, so it is rendered
    once a minute per filter set (`remember`: dropped at once when a session changes, not when
    somebody books); each card's badge is put in after the lookup: the member's own state, else
    the places from one aggregate query (booking.state.fill_places)."""
    get = sorted(request.GET.lists())
    parts = (get, request.user.year_number, minute())
    html, ids = remember("sessions:list", parts, lambda: _list_content(request.GET, request.user))
    counts = booking_selectors.places(ids)  # one query for every card, whatever is mine
    html = fill_own(html, booking_selectors.my_relations(request.user, ids))
    html = fill_places(html, counts)
    return render(request, "sessions_app/list.html", {"content": mark_safe(html)})


def _list_content(query, user) -> tuple[str, list[int]]:
    """The list's content for a query (and the member's year, the default filter): HTML whose
    badges show each session's public state (a hole where the places decide it), and the ids of
    the sessions on it."""
    form = filter_form(query, user)
    filters = form.filters()
    now = timezone.now()
    today = timezone.localdate(now)
    when = query.get("when", "")
    if when not in WHEN:  # a search looks across the term; a plain visit opens on this week
        searching = any(v for k, v in query.items() if k not in ("year", "page", "when", "view"))
        when = "all" if searching else "this"
    window = week_window(when, today)
    if window and not (filters.date_from or filters.date_to):
        filters.date_from, filters.date_to = window
    page, cards = list_page(filters, now, query.get("page"))
    days: dict[date, list] = {}
    for card in cards:  # each card's HTML is kept per content (fragments.py)
        days.setdefault(timezone.localtime(card.starts_at).date(), []).append(card_html(card))
    keep = query.copy()
    for key in ("when", "page"):
        keep.pop(key, None)
    context = {
        "request": SimpleNamespace(GET=query),  # the query only: nothing of the member
        "form": form,
        "filters": filters_panel(form, query),
        "page": page,
        "days": list(days.items()),
        "today": today,
        "when": when,
        "when_choices": list(WHEN.items()),
        "window": window,
        "keep": keep.urlencode(),
    }
    return list_content(context), [card.pk for card in cards]


def _parse_date(text: str, fallback: date) -> date:
    """A far-off or malformed date shows the current period instead (meded/parsing.py)."""
    return parse_date(text) or fallback


@member_required
def session_calendar(request):
    """Month grid (default) or one week (?view=week&week=YYYY-MM-DD), same filters as the list.
    The page's body is rendered once per member, query, minute and filter choices, and kept
    until a table it read is written (meded/remember.py): no booking is read, so somebody else's
    booking keeps it; the member's own "Booked" is put in per request."""
    form = filter_form(request.GET, request.user)
    today = timezone.localdate()
    week = request.GET.get("view") == "week"
    if week:
        first = _parse_date(request.GET.get("week", ""), today)
        first -= timedelta(days=first.weekday())
        last = first + timedelta(days=6)
    else:
        first = _parse_date(request.GET.get("month", "") + "-01", today.replace(day=1))
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    parts = (
        *member_parts(request),
        sorted(request.GET.lists()),
        form.fields["module"].choices,  # the choices come from their own cache (choices.py)
        form.fields["topic"].choices,
    )
    name = "week" if week else "calendar"
    body = remember_html(
        request,
        f"sessions:{name}",
        parts,
        f"sessions_app/_{name}.html",
        lambda: _calendar(request, form, week, first, last, today),
    )
    if week:
        mine = booking_selectors.my_relations(request.user, booked_marks(body))
        body = mark_safe(fill_booked(body, mine))
    return render(request, f"sessions_app/{name}.html", {"body": body, "first": first})


_BOOKED = re.compile(r"<!--booked:(\d+)-->")  # where the week shows the member's confirmed place


def booked_marks(html: str) -> list[int]:
    return [int(pk) for pk in _BOOKED.findall(html)]


def fill_booked(html: str, mine: dict[int, str]) -> str:
    """The week's "Booked" badge on the sessions the member has a confirmed place on."""
    booked = " " + badge_html(MINE["confirmed"])
    return _BOOKED.sub(lambda m: booked if mine.get(int(m.group(1))) == "confirmed" else "", html)


def _calendar(request, form, week: bool, first: date, last: date, today: date) -> dict:
    """The context of the month grid or the week, from one query."""
    by_day: dict[date, list] = {}
    for pk, title, starts_at in period_rows(form.filters(), first, last):
        entry = calendar_entry(pk, title, starts_at)
        by_day.setdefault(timezone.localtime(starts_at).date(), []).append(entry)
    context = {
        "form": form,
        "filters": filters_panel(form, request.GET),
        "first": first,
        "today": today,
        "has_any": bool(by_day),
    }
    if week:
        days = [(d, by_day.get(d, [])) for d in (first + timedelta(days=i) for i in range(7))]
        return {
            **context,
            "grid": week_grid(days, today),
            "last": last,
            "prev_week": first - timedelta(days=7),
            "next_week": first + timedelta(days=7),
        }
    weeks = [
        [(d, by_day.get(d, [])) for d in week]
        for week in pycal.Calendar().monthdatescalendar(first.year, first.month)
    ]
    return {
        **context,
        "weeks": weeks,
        "grid": month_grid(weeks, first, today),
        "prev_month": (first - timedelta(days=1)).replace(day=1),
        "next_month": last + timedelta(days=1),
    }


@member_required
def session_detail(request, pk: int):
    """The member's own view of a session (their place, their role). The page around their place
    is kept until anything it read changes or the minute turns (booking opens, the session
    starts); it reads no booking, so somebody else's booking keeps it. The member's booking, the
    places and the buttons are put in per request (`_detail_mine`)."""
    user = request.user
    parts = (pk, user.pk, is_committee(user), is_tutor(user), minute())
    found = remember("sessions:page", parts, lambda: _detail_content(request, pk))
    html = found["html"]
    # What the member's own booking decides, and the places: read per request, or remembered
    # for this member until the next booking anywhere (a quiet moment costs a lookup). `stamp`:
    # a new page (the session changed) is a new key, never its old session's part.
    mine = (*member_key(user), pk, found["stamp"], minute())
    holes = remember("sessions:page-mine", mine, lambda: _detail_mine(user, found))
    # The resources the member may open: their own confirmed place unlocks attendees-only
    # items, the only booking rows read, so others' bookings keep it (a Cover).
    holes["resources"] = remember(
        "sessions:page-resources",
        mine,
        lambda: render_shared(
            "sessions_app/_session_resources.html",
            {"request": SimpleNamespace(user=user), "session": found["session"]},
        ),
        cover=member_bookings(user),
    )
    for hole, text in holes.items():
        html = html.replace(f"<!--detail:{hole}-->", text, 1)
    context = {"title": found["title"], "content": mark_safe(with_csrf(request, html))}
    return render(request, "sessions_app/detail.html", context)


NO_LINK = "The join link appears here once you have a confirmed place."


def _detail_content(request, pk: int) -> dict:
    """The page with holes for what the member's booking and the places decide; the session
    (without its tutors and years) and the member's role, for `_detail_mine`."""
    user = request.user
    page = session_page(pk)  # reads compiled once per process
    if page is None:
        raise Http404("No TeachingSession matches the given query.")
    session = page.session
    teaches = any(t.pk == user.pk for t in page.tutors)
    runs = is_committee(user) or teaches  # TeachingSession.is_run_by
    if session.status == TeachingSession.Status.DRAFT and not runs:
        raise Http404("No such session.")  # as visible_session: only for those who run it
    link = session.join_link
    context = {
        "is_committee": is_committee(user),
        "session": session,
        "tutors": page.tutors,
        "years": page.years,
        "is_staff": runs,
        "link": format_html('<a class="text-break" href="{}">{}</a>', link, link) if link else "",
        "no_link": NO_LINK,
    }
    html = session_page_html(_page_key(page, context), context)
    plain = copy.copy(session)  # what the place panel reads: no prefetched members in the cache
    plain._prefetched_objects_cache = {}
    return {
        "title": session.title,
        "html": html,
        "stamp": secrets.token_hex(8),
        "session": plain,
        "teaches": teaches,
        "runs": runs,
        "link": context["link"],
    }


def _page_key(page: SessionPage, context: dict) -> tuple:
    """Everything `_detail_content.html` prints: the session's columns, its topic, module and
    series, its tutors and years, and the member's role."""
    session, topic, series = page.session, page.session.topic, page.session.series
    return (
        tuple(getattr(session, f.attname) for f in TeachingSession._meta.concrete_fields),
        (topic.pk, topic.code, topic.title, topic.module.name) if topic else None,
        (series.pk, series.title, series.bookable_as_whole) if series else None,
        tuple((t.pk, str(t)) for t in page.tutors),
        tuple(y.number for y in page.years),
        context["is_committee"],
        context["is_staff"],
    )


def _detail_mine(user, found: dict) -> dict[str, str]:
    """The member's part of a session's page: the state badge, the waiting count, the join link
    (a confirmed place), the "Your place" panel, from their booking and the session's places
    (one query each; the waiting position when waiting)."""
    session, now = found["session"], timezone.now()
    booking, undo = booking_selectors.my_place(user, session, now)
    counts = (0, 0)
    if session.capacity is not None:
        counts = booking_selectors.places([session.pk]).get(session.pk, (0, 0))
    confirmed = booking is not None and booking.status == Booking.Status.CONFIRMED
    state = booking_state(
        session,
        now,
        my_status=booking.status if booking else None,
        teaches=found["teaches"],
        places=counts,
    )
    context = {
        "session": session,
        "booking": booking,
        "position": waiting_position(booking) if booking else None,
        "checkin_form": CheckInForm() if confirmed and checkin_open(session, now) else None,
        "late_cancel": confirmed and now > session.cancellation_deadline,
        "now": now,
        "state": state,
        "undo": undo,
        "undo_until": undo_deadline(undo) if undo else None,
        "calendar_links": add_links(session, show_link=confirmed or found["runs"]),
    }
    return {
        "state": badge_html(state),
        "waiting": f", {counts[1]} on the waiting list" if counts[1] else "",
        "link": found["link"] if confirmed else NO_LINK,
        "panel": render_shared("sessions_app/_detail_place.html", context),
    }


@member_required
def session_download_ics(request, pk: int):
    session = visible_session(request, pk)
    booking = booking_selectors.active_booking(request.user, session)
    show = session.shows_join_link_to(request.user, booking)
    response = HttpResponse(session_ics(session, show_link=show), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response


@member_required
def series_detail(request, pk: int):
    """The same for every member: kept a minute (a session ends) until anything it read changes
    (not a booking: the places are put in per request)."""
    found = remember("sessions:series", (pk, minute()), lambda: _series_content(pk))
    html = fill_places(found["html"], booking_selectors.places(hole_ids(found["html"])))
    context = {"title": found["title"], "content": mark_safe(with_csrf(request, html))}
    return render(request, "sessions_app/series.html", context)


def _series_content(pk: int) -> dict:
    series = selectors.series_with_sessions(pk, upcoming_at=timezone.now())
    context = {"series": series, "sessions": list(series.sessions.all())}
    html = render_shared("sessions_app/_series_content.html", context)
    return {"title": series.title, "html": html}
