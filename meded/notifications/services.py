"""Sending: notify() decides, records and queues one email, at most once per (recipient, kind,
object); a member turns optional categories on or off; the committee resends a failed email."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from meded.accounts.models import User
from meded.errors import DomainError

from .kinds import CATEGORIES, get_kind
from .models import EmailPreference, SentEmail
from .rendering import dump_context, render_email
from .selectors import is_enabled
from .tasks import deliver_email

__all__ = ["NotificationError", "notify", "object_key", "render_email", "resend", "set_category"]


class NotificationError(DomainError):
    """A request about emails that cannot be honoured (e.g. resending one that did not fail)."""


def object_key(obj: Model | str) -> str:
    if isinstance(obj, str):
        return obj
    return f"{obj._meta.label_lower}:{obj.pk}"


def notify(
    user: User,
    kind: str,
    obj: Model | str,
    context: dict[str, Any] | None = None,
    *,
    attachments: list[dict[str, str]] | None = None,
    deliver_before: datetime | None = None,
) -> SentEmail | None:
    """Record and queue an email; returns None when this (user, kind, object) was already sent.

    Call it inside the transaction that decides to send: the row commits with the decision and
    delivery starts only after the commit. Nothing is rendered here: the row keeps the context
    by reference (and attachments as `rendering.attachment(...)` builders) and the worker
    renders at delivery, so a caller holding a row lock only inserts a row.
    `deliver_before` (e.g. a session's start for its reminder): if SMTP was down until then,
    the email is marked expired instead of sent late.
    """
    kind_def = get_kind(kind)
    key = object_key(obj)
    stored_context = dump_context(context or {})
    if SentEmail.objects.filter(recipient=user, kind=kind, object_key=key).exists():
        return None
    enabled = is_enabled(user, kind_def.category)
    try:
        with transaction.atomic():
            row = SentEmail.objects.create(
                recipient=user,
                to_email=user.email,
                kind=kind,
                object_key=key,
                status=SentEmail.Status.QUEUED if enabled else SentEmail.Status.SUPPRESSED,
                attachments=attachments or [],
                deliver_before=deliver_before,
                context=stored_context,
                subject="" if enabled else f"({kind} suppressed)",
                body_text="",
            )
    except IntegrityError:
        return None
    if enabled:
        # robust: a broker that is down must not break the caller after its commit; the row
        # stays queued and retry_stuck sends it later.
        transaction.on_commit(lambda: deliver_email.delay(row.pk), robust=True)
    return row


def set_category(user: User, category: str, enabled: bool) -> None:
    """Turn one optional category of emails on or off for a member."""
    if category not in CATEGORIES:
        raise ValueError(f"Unknown category {category!r}")
    EmailPreference.objects.update_or_create(
        user=user, category=category, defaults={"enabled": enabled}
    )


def resend(row: SentEmail) -> SentEmail:
    """Committee action: put a failed email back in the queue; only a failed one can go again."""
    with transaction.atomic():
        updated = SentEmail.objects.filter(pk=row.pk, status=SentEmail.Status.FAILED).update(
            status=SentEmail.Status.QUEUED,
            attempts=0,
            next_attempt_at=None,
            updated_at=timezone.now(),
        )
        if not updated:
            raise NotificationError("Only a failed email can be sent again.")
        transaction.on_commit(lambda: deliver_email.delay(row.pk), robust=True)
    return row
