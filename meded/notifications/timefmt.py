"""Times in emails: stored in UTC, shown in the society's time zone with GMT/BST spelled out.

Emails are rendered in workers and periodic jobs, where no request activated a time zone, and
read hours later in a mail client: so every time says its zone ("Mon 26 Oct 2026, 09:00 GMT").
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

DEFAULT_FORMAT = "%a %-d %b %Y, %H:%M %Z"


def local_time(dt: datetime | None, fmt: str = DEFAULT_FORMAT) -> str:
    """Format an aware datetime in settings.TIME_ZONE (Europe/London), e.g. "09:00 BST"."""
    if dt is None:
        return ""
    if timezone.is_naive(dt):
        dt = timezone.make_aware(dt, timezone.get_default_timezone())
    return timezone.localtime(dt, timezone.get_default_timezone()).strftime(fmt)
