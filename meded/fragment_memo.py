"""Rendered pages and fragments kept in this process's memory under exactly what they show.

A page remembered with `meded.remember` is computed again after any write to a table behind it
(at the start of term, often), yet what it shows rarely changed: rendering its tables again cost
more than reading its rows. A fragment is rendered once per process for a key that holds every
value it prints (the caller's `shown`), the template, the time zone and the language; a hit is a
dict lookup. The memo is bounded; nothing is kept under less than what it shows, so no member
is ever shown what another's page holds unless it is exactly what their own page shows.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

MEMO_SIZE = 500
_memo: dict[tuple, str] = {}


def memo_render(template: str, shown: tuple, context: dict[str, Any], request=None) -> str:
    """`render_to_string(template, context, request)`, rendered once per process for `shown`:
    everything the template prints from `context` (and from the request, if it reads it)."""
    key = (template, timezone.get_current_timezone_name(), translation.get_language(), shown)
    html = _memo.get(key)
    if html is None:
        if len(_memo) >= MEMO_SIZE:
            _memo.clear()
        html = _memo[key] = str(render_to_string(template, context, request=request))
    return html
