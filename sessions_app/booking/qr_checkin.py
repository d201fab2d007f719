"""Check-in by QR code: a code that rotates and attempts that are throttled.

The code shown on the projector is an HMAC of (session, time window): it changes every
`MEDED_CHECKIN_QR_SECONDS` (the previous window still counts, so a scan at the turn works).
A photo sent to a friend who is not in the room stops working within two windows, and each
member has a few attempts per quarter-hour, so guessing or replaying codes gets nowhere.
No state is stored for the codes: they are derived again when checked.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

import segno
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from meded.models import User
from sessions_app.booking.attendance import check_in
from sessions_app.booking.models import Booking
from sessions_app.errors import SessionError
from sessions_app.scheduling.models import TeachingSession

ATTEMPTS = 5  # per member per ATTEMPT_WINDOW seconds, right or wrong
ATTEMPT_WINDOW = 15 * 60


def window_seconds() -> int:
    return getattr(settings, "MEDED_CHECKIN_QR_SECONDS", 60)


def _window(now: datetime) -> int:
    return int(now.timestamp()) // window_seconds()


def code_for(session: TeachingSession, now: datetime | None = None, *, window: int | None = None):
    """The code of the session's current (or given) window: 12 hex characters."""
    w = _window(now or timezone.now()) if window is None else window
    key = settings.SECRET_KEY.encode()
    message = f"meded.checkin:{session.pk}:{w}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:12]


def code_is_current(session: TeachingSession, code: str, now: datetime | None = None) -> bool:
    w = _window(now or timezone.now())
    given = code.encode()  # bytes: compare_digest refuses non-ASCII text (a hostile URL)
    return any(hmac.compare_digest(given, code_for(session, window=x).encode()) for x in (w, w - 1))


def scan_path(session: TeachingSession, now: datetime | None = None) -> str:
    return reverse("sessions_app:checkin_qr", args=[session.pk, code_for(session, now)])


def qr_svg(url: str) -> str:
    """The QR code as inline SVG (no image file, no third party)."""
    return segno.make(url, error="m").svg_inline(scale=6, border=2, dark="#000", light="#fff")


def _throttle(member: User) -> None:
    key = f"meded.checkin.attempts:{member.pk}"
    cache.add(key, 0, ATTEMPT_WINDOW)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, ATTEMPT_WINDOW)
        attempts = 1
    if attempts > ATTEMPTS:
        raise SessionError(
            "Too many check-in attempts. Wait a quarter of an hour, or ask your tutor to mark "
            "you present."
        )


def check_in_by_qr(
    member: User, session: TeachingSession, code: str, *, now: datetime | None = None
) -> Booking:
    """Check a booked member in with the code of the QR they scanned (throttled per member)."""
    now = now or timezone.now()
    _throttle(member)
    if not code_is_current(session, code.strip().lower(), now):
        raise SessionError(
            "This check-in code has expired: scan the code on the screen in the room again."
        )
    return check_in(member, session, session.checkin_code, now=now)
