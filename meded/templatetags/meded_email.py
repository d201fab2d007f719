"""Template filters for emails: `{% load meded_email %}{{ session.starts_at|local_time }}`."""

from datetime import datetime

from django import template

from meded.notifications.timefmt import DEFAULT_FORMAT
from meded.notifications.timefmt import local_time as _local_time

register = template.Library()


@register.filter
def local_time(value, fmt: str = DEFAULT_FORMAT) -> str:
    if not isinstance(value, datetime):
        return ""  # like Django's |date: a missing value renders as nothing
    return _local_time(value, fmt)
