"""Rendered pages and fragments of feedback kept in this process's memory under exactly what
they show.

A tutor's teaching page or portfolio is recomputed after any write to a table behind it (at the
start of term, often), yet what it shows rarely changed: rendering its tables again cost more
than reading its figures. A fragment is rendered once per process for a key that holds every
value it prints (the caller's `shown`), the template, the time zone and the language; a hit is
a dict lookup. The memo is bounded; it holds what the pages show and nothing keyed on less.
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


def result_shown(r) -> tuple:
    """What any feedback page may print of a `SessionResult` (its rate and flags follow)."""
    s = r.session
    return (
        s.pk,
        s.title,
        s.starts_at,
        r.released,
        r.closed,
        r.closes_at,
        r.responses,
        r.audience,
        r.overall,
    )


def observation_shown(o) -> tuple:
    """What `feedback/_observations.html` prints of a peer observation."""
    return (
        o.pk,
        o.session.title,
        o.session.starts_at,
        o.observer.full_name,
        o.observer.email,
        repr(o.scores),
        o.strengths,
        o.suggestions,
    )
