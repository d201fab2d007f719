"""Email notifications: the one place that sends.

    notify(user, "booking_confirmed", booking, {"booking": booking})

writes a sent-log row (unique per recipient, kind and object) inside the caller's transaction
and dispatches delivery with transaction.on_commit. Apps declare their kinds with
`register_kind` and the periodic "what is due" work with `register_due` (see kinds.py).
Times in emails: `{% load meded_email %}{{ session.starts_at|local_time }}` -> "Sun 25 Oct 2026,
12:00 GMT" (timefmt.py).
"""

from .kinds import CATEGORIES, Kind, get_kind, register_due, register_kind, registered_kinds
from .service import notify, object_key
from .timefmt import local_time

__all__ = [
    "CATEGORIES",
    "Kind",
    "get_kind",
    "local_time",
    "notify",
    "object_key",
    "register_due",
    "register_kind",
    "registered_kinds",
]
