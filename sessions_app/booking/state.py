"""One answer to "what can this member do with this session now?", used by the list, the home
page and the session's own page so they never disagree (a list saying "Full · 8 waiting" while
the page says booking opens later).

Needs the `n_taken` / `n_waiting` annotations of `scheduling.selectors.with_places` and, for the
member's own booking, either `my_status` (list) or the booking's status (detail).
"""

from __future__ import annotations

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
    """The state as the badge every list prints (the same markup as _state.html)."""
    return format_html('<span class="badge text-bg-{}">{}</span>', state.tone, state.label)


def booking_state(
    session: TeachingSession, now: datetime, *, my_status: str | None = None, teaches: bool = False
) -> BookingState:
    """The session's state for one member at `now`."""
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
        return BookingState("open", "Open to all", "success", "Book a place")
    left = session.capacity - getattr(session, "n_taken", 0)
    waiting = getattr(session, "n_waiting", 0)
    if left <= 0 or waiting:
        label = f"Full · {waiting} waiting" if waiting else "Full"
        return BookingState("full", label, "warning", "Join the waiting list")
    return BookingState(
        "open", f"{left} place{'s' if left != 1 else ''} left", "success", "Book a place"
    )
