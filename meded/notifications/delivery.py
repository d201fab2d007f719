"""Delivery of one logged email over the configured backend, safe to run twice.

A row is claimed with a row lock (skip_locked), marked "sending" and committed, and only then
handed to SMTP; a second worker finds nothing to claim. A row past its `deliver_before` (a
reminder for a session that has begun) is marked expired instead of sent late. Temporary SMTP
failures (4xx, lost connection, refused connection) put the row back in the queue with a
back-off; a 5xx reply, or too many attempts, is recorded as a permanent failure that the
committee can resend.

The one window where an email can go twice is a worker that dies after the SMTP server accepted
the message and before the row is marked "sent": the row is reclaimed after
MEDED_EMAIL_STUCK_MINUTES. SMTP has no way to close that window; it is kept as short as a commit.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from enum import Enum

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .kinds import get_kind
from .models import SentEmail
from .selectors import is_enabled

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
MAX_BACKOFF_SECONDS = 1800  # below the broker's visibility timeout (settings)


class Outcome(Enum):
    SENT = "sent"
    SKIPPED = "skipped"
    EXPIRED = "expired"
    SUPPRESSED = "suppressed"
    RETRY = "retry"
    FAILED = "failed"


def backoff_seconds(attempts: int) -> int:
    """Seconds to wait after the n-th failed attempt: base, 2x, 4x, ... capped."""
    base = settings.MEDED_EMAIL_RETRY_SECONDS
    return int(min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS))


def _stuck_before() -> datetime:
    return timezone.now() - timedelta(minutes=settings.MEDED_EMAIL_STUCK_MINUTES)


def claim(sent_email_id: int) -> SentEmail | None:
    """Mark a queued (or stuck) row "sending" for this worker; None if someone else has it.

    A row that should no longer go gets its final status instead: expired (past its
    deliver_before) or suppressed (the member turned its category off while it waited).
    """
    with transaction.atomic():
        row = (
            SentEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=sent_email_id)
            .filter(
                Q(status=SentEmail.Status.QUEUED)
                | Q(status=SentEmail.Status.SENDING, sending_started_at__lt=_stuck_before())
            )
            .first()
        )
        if row is None:
            return None
        not_sent = _reason_not_to_send(row)
        if not_sent is not None:
            row.status, reason = not_sent
            row.last_error = f"{reason} Last error: {row.last_error}" if row.last_error else reason
            row.save(update_fields=["status", "last_error", "updated_at"])
            return row
        row.status = SentEmail.Status.SENDING
        row.attempts += 1
        row.sending_started_at = timezone.now()
        row.next_attempt_at = None
        row.save(
            update_fields=[
                "status",
                "attempts",
                "sending_started_at",
                "next_attempt_at",
                "updated_at",
            ]
        )
    return row


def _reason_not_to_send(row: SentEmail) -> tuple[str, str] | None:
    if row.deliver_before is not None and timezone.now() >= row.deliver_before:
        return SentEmail.Status.EXPIRED, "Not sent: its deadline passed before it could go."
    try:
        category = get_kind(row.kind).category
    except LookupError:  # a kind no longer registered: send what was decided
        category = None
    if not is_enabled(row.recipient_id, category):
        return SentEmail.Status.SUPPRESSED, "Not sent: the member turned these emails off."
    return None


def build_message(row: SentEmail, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to_email],
        headers=row.headers or {},
        connection=connection,
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    for item in row.attachments or []:
        message.attach(item["filename"], item["content"], item.get("mimetype"))
    return message


def is_temporary(exc: Exception) -> bool:
    """4xx replies and network trouble are worth retrying; 5xx replies are not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return not codes or any(code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return True  # our configuration, not this message: keep it until someone fixes it
    code = getattr(exc, "smtp_code", None)
    if isinstance(code, int):
        return not 500 <= code < 600
    return isinstance(exc, smtplib.SMTPException | OSError)


def deliver(sent_email_id: int) -> Outcome:
    row = claim(sent_email_id)
    if row is None:
        return Outcome.SKIPPED
    if row.status != SentEmail.Status.SENDING:
        return Outcome(row.status)  # expired or suppressed while it waited
    try:
        connection = get_connection(fail_silently=False)
        build_message(row, connection).send()
    except Exception as exc:
        return _record_failure(row, exc)
    row.status = SentEmail.Status.SENT
    row.sent_at = timezone.now()
    row.last_error = ""
    row.save(update_fields=["status", "sent_at", "last_error", "updated_at"])
    return Outcome.SENT


def _record_failure(row: SentEmail, exc: Exception) -> Outcome:
    retry = is_temporary(exc) and row.attempts < MAX_ATTEMPTS
    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if retry:
        row.status = SentEmail.Status.QUEUED
        row.next_attempt_at = timezone.now() + timedelta(seconds=backoff_seconds(row.attempts))
    else:
        row.status = SentEmail.Status.FAILED
        log.warning("email %s failed permanently: %s", row.pk, row.last_error)
    row.save(update_fields=["status", "last_error", "next_attempt_at", "updated_at"])
    return Outcome.RETRY if retry else Outcome.FAILED


def requeue_lost(older_than_minutes: int | None = None) -> list[int]:
    """Rows whose delivery should have happened by now: the broker lost the message (down,
    flushed, queue never reached) or a worker died while sending."""
    minutes = (
        settings.MEDED_EMAIL_STUCK_MINUTES if older_than_minutes is None else older_than_minutes
    )
    now = timezone.now()
    before = now - timedelta(minutes=minutes)
    return list(
        SentEmail.objects.annotate(due_at=Coalesce("next_attempt_at", "updated_at"))
        .filter(
            Q(status=SentEmail.Status.QUEUED, due_at__lte=before)
            | Q(status=SentEmail.Status.SENDING, sending_started_at__lt=before)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
