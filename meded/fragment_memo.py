"""Rendered pages and fragments kept in this process's memory under exactly what they show.

A page remembered with `meded.remember` is computed again after any write to a table behind it
(at the start of term, often), yet what it shows rarely changed: rendering its tables again cost
more than reading its rows. A fragment is rendered once per process for a key that holds every
value it prints (the caller's `shown`), the template, the time zone and the language; a hit is a
dict lookup. The memo is bounded; nothing is kept under less than what it shows, so no member
is ever shown what another's page holds unless it is exactly what their own page shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

MEMO_SIZE = 500


class Memo:
    """A bounded dict of rendered pieces in this process's memory: `get(key, render)` returns
    what `render()` gave for `key` the first time. The key must hold everything the piece shows
    (it IS the content, so a changed value is a new key, never a stale piece). Full, it starts
    afresh: the next visits render again, nothing is ever wrong. Every rendered-once-per-process
    piece of the site goes through one of these."""

    def __init__(self, size: int):
        self.size = size
        self._pieces: dict[Any, Any] = {}

    def get(self, key: Any, render: Callable[[], Any]) -> Any:
        piece = self._pieces.get(key)
        if piece is None:
            if len(self._pieces) >= self.size:
                self._pieces.clear()
            piece = self._pieces[key] = render()
        return piece

    def __len__(self) -> int:
        return len(self._pieces)

    def clear(self) -> None:
        self._pieces.clear()

    def values(self) -> list[Any]:
        return list(self._pieces.values())


_memo = Memo(MEMO_SIZE)


def memo_render(template: str, shown: tuple, context: dict[str, Any], request=None) -> str:
    """`render_to_string(template, context, request)`, rendered once per process for `shown`:
    everything the template prints from `context` (and from the request, if it reads it)."""
    key = (template, timezone.get_current_timezone_name(), translation.get_language(), shown)
    return _memo.get(key, lambda: str(render_to_string(template, context, request=request)))
