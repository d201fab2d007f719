"""One exception base for every business rule, so one path turns a refusal into a message.

A service raises a subclass of DomainError with a sentence a person can act on; `field` names
the form field it belongs to, when it belongs to one. Views never catch app-specific errors:
they call `meded.errors.attempt` (or `run_service`) and get either the result or a message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class DomainError(Exception):
    """A rule said no. `message` is shown as is; `field` is the form field it belongs to."""

    def __init__(self, message: str = "", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message or super().__str__()


def attempt(request, call: Callable[..., T], *args: Any, form=None, **kwargs: Any):
    """Run a service call; return `(True, result)`, or `(False, None)` after showing the refusal.

    With a `form`, the error is attached to its field (or to the form as a whole) so the member
    sees it next to what caused it; without one it becomes a flash message on the next page.
    This is the one place a DomainError becomes something a person reads.
    """
    from django.contrib import messages

    try:
        return True, call(*args, **kwargs)
    except DomainError as exc:
        if form is not None:
            field = exc.field if exc.field in getattr(form, "fields", {}) else None
            form.add_error(field, str(exc))
        else:
            messages.error(request, str(exc))
        return False, None
