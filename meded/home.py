"""The member's home page is built from sections that each app adds (`home_sections`). Each
section is rendered once per member and minute and kept until a table it read is written
(meded/remember.py), so the home page costs a few cache round trips, not every app's queries."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from meded.remember import Cover, member_parts, remember_html

Receiver = Callable[..., "dict | None"]


def home_section(
    name: str, cover: Callable[[Any], Cover] | None = None
) -> Callable[[Receiver], Receiver]:
    """Decorate a `home_sections` receiver: its {"template": ..., **context} is rendered once
    per member and minute and returned as {"html": ...} (None when it has nothing to show).
    `cover(user)`: the section's `Cover` (meded/remember.py), only under its contract."""

    def decorate(receiver: Receiver) -> Receiver:
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
