"""What the sessions app adds to the core's pages: the home section, the profile's calendar
panel. Receivers of `meded.signals.home_sections` and `profile_panels`, connected in apps.py."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, Window
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from meded.home import read_ahead
from meded.prepared import Prepared
from meded.remember import member_parts, remember, remember_html
from meded.roles import is_tutor
from sessions_app.booking.fingerprint import member_bookings_and_queue
from sessions_app.booking.models import Booking
from sessions_app.booking.selectors import my_bookings, my_statuses, places
from sessions_app.booking.state import fill_own, fill_places, own_ids, own_mark
from sessions_app.booking.state import public_badge as badge
from sessions_app.scheduling.models import TeachingSession
from sessions_app.scheduling.selectors import (
    SessionFilters,
    browse_sessions,
    day_start,
    tutor_sessions,
)

HOME_LIMIT = 5
HOME_WEEK_LIMIT = 6
_TAKEN = re.compile(r"<!--taken:(\d+)-->")  # where "N booked" of a session the tutor teaches goes
# What a line of "this week" prints, and what its badge reads (booking.state.fixed_state).
_WEEK_FIELDS = (
    *("id", "title", "starts_at", "ends_at", "delivery", "status", "capacity"),
    *("booking_opens", "booking_closes"),
)
read_ahead("sessions_app.sessions")  # the home page reads its entry with the other sections'


def section(request, **signal_kwargs) -> dict:
    """What matters now for this member: offers to claim, this week for their year, coming
    bookings, teaching. The section is remembered per member and minute without reading a
    booking, so somebody else's booking keeps it; what bookings decide (the member's own, their
    badges) is a small value of the member's own (`_mine`, kept until their own bookings change),
    and the places are counted per request."""
    html = remember_html(
        request,
        "home:sessions_app.sessions",
        member_parts(request),
        "meded/_home_section.html",
        lambda: {"section": _shared(request)},
    )
    user = request.user
    week = own_ids(html)  # this week's sessions
    taught = [int(pk) for pk in _TAKEN.findall(html)]
    parts = (*member_parts(request), tuple(week))
    # The member's own rows (and their places in queues) only: others' bookings keep it.
    cover = member_bookings_and_queue(user)
    mine = remember("home:sessions_app.mine", parts, lambda: _mine(user, week), cover=cover)
    counts = places(list(dict.fromkeys(week + taught)))  # everyone's bookings: per request
    html = fill_places(fill_own(html, mine["relations"]), counts)
    html = _TAKEN.sub(lambda m: str(counts.get(int(m.group(1)), (0, 0))[0]), html)
    html = html.replace("<!--home:offers-->", mine["offers"], 1)
    html = html.replace("<!--home:upcoming-->", mine["upcoming"], 1)
    return {"html": mark_safe(html)}


def _shared(request) -> dict:
    """This week for the member's year and what they teach, with holes for the places and their
    own badges: one query each, of the few fields the section prints, compiled once per process
    (every cold visit of the home page runs them)."""
    user = request.user
    now = timezone.now()
    teaching = _TEACHING.instances(user.pk, now) if is_tutor(user) else []
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    week = (user.pk, now, day_start(monday), day_start(monday + timedelta(days=7)))
    year = user.year_number
    shown = _WEEK_OF_YEAR.instances(*week, year) if year else _WEEK.instances(*week)
    for s in shown:
        s.badge = mark_safe(own_mark(s.pk, badge(s, now, teaches=bool(s.teaches))))
    return {
        "template": "sessions_app/_home_section.html",
        "this_week": shown,
        "this_week_count": shown[0].total if shown else 0,
        "year": year,
        "teaching": teaching,
        "is_tutor": is_tutor(user),
    }


def _week(user_pk: int, now: datetime, start: datetime, end: datetime, year: int | None = None):
    """The first of the sessions from `start` to `end` for the year (any year: None) as the
    browse list finds them, with what a line prints and its badge reads, whether the member
    teaches each, and (`total`) how many there are in all."""
    sessions = browse_sessions(None, SessionFilters(year=year), now=now, places=False)
    teaches = Exists(
        TeachingSession.tutors.through.objects.filter(
            teachingsession_id=OuterRef("pk"), user_id=user_pk
        )
    )
    return (
        sessions.filter(starts_at__gte=start, starts_at__lt=end)
        .select_related(None)
        .prefetch_related(None)
        .only(*_WEEK_FIELDS)
        .annotate(teaches=teaches, total=Window(Count("pk")))[:HOME_WEEK_LIMIT]
    )


_WEEK = Prepared(_week, 4)
_WEEK_OF_YEAR = Prepared(_week, 5, small=(4,))
_TEACHING = Prepared(
    lambda user_pk, now: (
        tutor_sessions(user_pk, places=False, now=now)
        .select_related(None)
        .prefetch_related(None)
        .only("id", "title", "starts_at", "status")[:HOME_LIMIT]
    ),
    2,
)


def _mine(user, week: list[int]) -> dict:
    """What the member's own bookings decide: places offered to them, their next sessions (with
    their place in a queue) and their own state on this week's sessions (teaching is in the
    section already). Reads no other member's booking but the waiting rows ahead of theirs."""
    bookings = _COMING.instances(user.pk, timezone.now())
    for b in bookings:  # what the lists print of the session, read with the booking
        b.session = TeachingSession(
            pk=b.session_id, title=b.title, starts_at=b.starts_at, delivery=b.delivery
        )
    offers = [b for b in bookings if b.status == Booking.Status.OFFERED]
    upcoming = [b for b in bookings if b.status != Booking.Status.OFFERED][:HOME_LIMIT]
    return {
        "relations": my_statuses(user, week),
        "offers": render_to_string(
            "sessions_app/_home_offers.html", {"section": {"offers": offers}}
        ),
        "upcoming": render_to_string(
            "sessions_app/_home_upcoming.html", {"section": {"upcoming": upcoming}}
        ),
    }


def _coming(user_pk: int, now: datetime):
    """The member's bookings of sessions not over at `now` (the first 20), with their place in a
    queue and what the lists print of each session."""
    coming = my_bookings(user_pk).filter(
        session__ends_at__gt=now, status__in=("confirmed", "waiting", "offered")
    )
    return (
        coming.select_related(None)
        .annotate(
            title=F("session__title"),
            starts_at=F("session__starts_at"),
            delivery=F("session__delivery"),
        )
        .only("status", "offer_expires_at", "joined_at", "session")[:20]
    )


_COMING = Prepared(_coming, 2)


def calendar_panel(request, **signal_kwargs) -> str:
    """The member's private calendar feed address, on their profile."""
    return "sessions_app/_profile_calendar.html"
