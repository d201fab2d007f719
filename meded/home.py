"""The member's home page is built from sections that each app adds (`home_sections`). Each
section is rendered once per member and minute and kept until a table it read is written
(meded/remember.py), so the home page costs a few cache round trips, not every app's queries:
two in all for the sections registered here (`read_ahead`), read before any section runs."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from meded.remember import Cover, entry_key, member_parts, prefetched, remember_html
from meded.signals import collect, home_sections

Receiver = Callable[..., "dict | None"]
# Per section name, its cover (or None): the entries `sections` reads ahead.
_AHEAD: dict[str, Callable[[Any], Cover] | None] = {}


def read_ahead(name: str, cover: Callable[[Any], Cover] | None = None) -> None:
    """The section remembers `remember_html(request, f"home:{name}", member_parts(request),
    ..., cover=cover(user))` first: `sections` reads its entry with the others'."""
    _AHEAD[name] = cover


def sections(request) -> list:
    """Every app's section for this member, their remembered entries read in one go."""
    keys = []
    if request.method in ("GET", "HEAD"):  # the only requests remember_html remembers
        parts = member_parts(request)
        for name, cover in _AHEAD.items():
            keys.append(entry_key(f"home:{name}", parts, cover(request.user) if cover else None))
    with prefetched(keys):
        return collect(home_sections, request=request)


def home_section(
    name: str, cover: Callable[[Any], Cover] | None = None
) -> Callable[[Receiver], Receiver]:
    """Decorate a `home_sections` receiver: its {"template": ..., **context} is rendered once
    per member and minute and returned as {"html": ...} (None when it has nothing to show).
    `cover(user)`: the section's `Cover` (meded/remember.py), only under its contract."""

    def decorate(receiver: Receiver) -> Receiver:
        read_ahead(name, cover)

        @wraps(receiver)
        def section(request, **kwargs) -> dict | None:
            html = remember_html(
                request,
                f"home:{name}",
                member_parts(request),
                "meded/_home_section.html",
                lambda: {"section": receiver(request, **kwargs)},
                cover=cover(request.user) if cover is not None else None,
            )
            return {"html": html} if html.strip() else None

        return section

    return decorate
