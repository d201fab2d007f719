"""One answer to "what can this member do with this session now?", used by the list, the home
page and the session's own page so they never disagree (a list saying "Full · 8 waiting" while
the page says booking opens later).

The state has two halves. What does not depend on how many have booked (cancelled, finished,
booking not open, the member's own booking) is `fixed_state`; where the places decide (bookable,
with a capacity) `places_state` turns the counts into the badge. Remembered pages render the
first and leave a hole (`places_hole`) where the counts go, so another member's booking does not
throw them away; each request fills the holes from one aggregate query (`fill_places` with
`booking.selectors.places`). The counts come either as `places` or as the `n_taken` / `n_waiting`
annotations of `scheduling.selectors.with_places`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.html import format_html

from sessions_app.scheduling.models import TeachingSession


@dataclass(frozen=True)
class BookingState:
    code: str
    label: str
    tone: str  # Bootstrap badge colour
    action: str = ""  # the button a member may press ("Book a place"), else empty

    @property
    def can_book(self) -> bool:
        return bool(self.action)


MINE = {
    "confirmed": BookingState("booked", "Booked", "primary"),
    "waiting": BookingState("waiting", "On the waiting list", "secondary"),
    "offered": BookingState("offered", "Place offered: claim it", "warning"),
}
TEACHING = BookingState("teaching", "You are teaching", "info")


def own_state(relation: str | None) -> BookingState | None:
    """The state a member's own tie to a session shows, whatever its places (a published
    session): their active booking's status, or "teaching" (see booking.selectors.my_relations)."""
    if relation in MINE:
        return MINE[relation]
    return TEACHING if relation == "teaching" else None


def badge_html(state: BookingState) -> str:
    """The state as the badge every list prints (the same markup everywhere)."""
    return format_html('<span class="badge text-bg-{}">{}</span>', state.tone, state.label)


def places_state(capacity: int | None, taken: int, waiting: int) -> BookingState:
    """What the places of a bookable session say: the one count rule of every page and badge."""
    if capacity is None:
        return BookingState("open", "Open to all", "success", "Book a place")
    left = capacity - taken
    if left <= 0 or waiting:
        label = f"Full · {waiting} waiting" if waiting else "Full"
        return BookingState("full", label, "warning", "Join the waiting list")
    return BookingState(
        "open", f"{left} place{'s' if left != 1 else ''} left", "success", "Book a place"
    )


def fixed_state(
    session: TeachingSession, now: datetime, *, my_status: str | None = None, teaches: bool = False
) -> BookingState | None:
    """The state when the counts do not decide it; None when the session is bookable with a
    capacity (then `places_state` decides)."""
    if session.status == TeachingSession.Status.CANCELLED:
        return BookingState("cancelled", "Cancelled", "danger")
    if my_status in MINE:
        return MINE[my_status]
    if teaches:
        return TEACHING
    if session.ends_at <= now:
        return BookingState("finished", "Finished", "secondary")
    reason = session.bookability(now)
    if reason:
        if session.status == TeachingSession.Status.DRAFT:
            return BookingState("draft", "Draft: not visible to students", "secondary")
        if session.booking_opens and now < session.booking_opens:
            opens = timezone.localtime(session.booking_opens)
            return BookingState(
                "opens_later", f"Booking opens {opens:%a} {opens.day} {opens:%b}", "light"
            )
        if session.starts_at <= now:
            return BookingState("started", "Started", "secondary")
        return BookingState("closed", "Booking closed", "secondary")
    if session.capacity is None:
        return places_state(None, 0, 0)
    return None


def booking_state(
    session: TeachingSession,
    now: datetime,
    *,
    my_status: str | None = None,
    teaches: bool = False,
    places: tuple[int, int] | None = None,
) -> BookingState:
    """The session's state for one member at `now`; `places` (taken, waiting) or the session's
    `with_places` annotations."""
    state = fixed_state(session, now, my_status=my_status, teaches=teaches)
    if state is not None:
        return state
    if places is None:
        places = (getattr(session, "n_taken", 0), getattr(session, "n_waiting", 0))
    return places_state(session.capacity, *places)


# A hole a remembered page leaves where a badge depends on the counts. An HTML comment: escaped
# text (a title) can never forge one.
_HOLE = re.compile(r"<!--places:(\d+):(\d+)-->")


def places_hole(session: TeachingSession) -> str:
    """The mark `fill_places` replaces by the places badge of a session with a capacity."""
    return f"<!--places:{session.pk}:{session.capacity}-->"


def public_badge(session: TeachingSession, now: datetime, *, teaches: bool = False) -> str:
    """A badge as a remembered page prints it: the fixed state, else a hole for the counts."""
    state = fixed_state(session, now, teaches=teaches)
    return badge_html(state) if state is not None else places_hole(session)


def hole_ids(html: str) -> list[int]:
    """The sessions whose counts a page needs, in the order they appear."""
    return list(dict.fromkeys(int(pk) for pk, _ in _HOLE.findall(html)))


def fill_places(html: str, counts: dict[int, tuple[int, int]]) -> str:
    """Every hole as its badge, from `counts` (session id: taken, waiting; absent: none)."""

    def badge(match: re.Match) -> str:
        taken, waiting = counts.get(int(match.group(1)), (0, 0))
        return badge_html(places_state(int(match.group(2)), taken, waiting))

    return _HOLE.sub(badge, html)


# The member's own tie to a session, put over its badge per request: the list's card keeps the
# element; elsewhere a pair of comments marks the badge and goes once filled.
_OWN_CARD = re.compile(r'<div data-state="(\d+)">(.*?)</div>')
_OWN_MARK = re.compile(r"<!--state:(\d+)-->(.*?)<!--/state-->")


def own_ids(html: str) -> list[int]:
    """The sessions whose marked badge the member's own state may replace."""
    return [int(pk) for pk, _ in _OWN_MARK.findall(html)]


def own_mark(session_id: int, badge: str) -> str:
    """A badge the member's own state replaces (see `fill_own`)."""
    return f"<!--state:{session_id}-->{badge}<!--/state-->"


def fill_own(html: str, mine: dict[int, str]) -> str:
    """The member's own state (`booking.selectors.my_relations`) over each marked badge."""

    def card(match: re.Match) -> str:
        state = own_state(mine.get(int(match.group(1))))
        return (
            match.group(0)
            if state is None
            else f'<div data-state="{match.group(1)}">{badge_html(state)}</div>'
        )

    def mark(match: re.Match) -> str:
        state = own_state(mine.get(int(match.group(1))))
        return match.group(2) if state is None else badge_html(state)

    if mine:
        html = _OWN_CARD.sub(card, html)
    return _OWN_MARK.sub(mark, html)
