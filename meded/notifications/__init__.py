"""Email notifications: the one place that sends.

    notify(user, "booking_confirmed", booking, {"booking": booking})

writes a sent-log row (unique per recipient, kind and object) inside the caller's transaction
and dispatches delivery with transaction.on_commit. Apps declare their kinds with
`register_kind` (kinds.py); periodic "what is due" work is a `meded.signals.periodic_task`
receiver in the app that owns the rule. Times in emails:
`{% load meded_email %}{{ session.starts_at|local_time }}` -> "Sun 25 Oct 2026, 12:00 GMT".

models (sent log, preferences), services (notify, preferences, resend), selectors (reads),
delivery (SMTP, safe to run twice), tasks (Celery), views/urls (preferences, unsubscribe, outbox).
"""

from .kinds import CATEGORIES, Kind, get_kind, register_kind, registered_kinds
from .services import notify, object_key
from .timefmt import local_time

__all__ = [
    "CATEGORIES",
    "Kind",
    "get_kind",
    "local_time",
    "notify",
    "object_key",
    "register_kind",
    "registered_kinds",
]
