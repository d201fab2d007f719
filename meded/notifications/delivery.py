"""Delivery of one logged email over the configured backend, safe to run twice.

A row is claimed with a row lock (skip_locked), marked "sending" and committed, and only then
handed to SMTP; a second worker finds nothing to claim. A row past its `deliver_before` (a
reminder for a session that has begun) is marked expired instead of sent late. Temporary SMTP
failures (4xx, lost connection, refused connection) put the row back in the queue with a
back-off; a 5xx reply, or too many attempts, is recorded as a permanent failure that the
committee can resend.

Rows are rendered here, after the claim's commit (never under the caller's lock), and a batch
(MEDED_EMAIL_BATCH) goes over one SMTP connection. Each row is marked "sent" as soon as the
server accepted it, before the next message and before the connection closes. The one window
where an email can go twice is a worker that dies between the server's "250" and that UPDATE:
the row is reclaimed after MEDED_EMAIL_STUCK_MINUTES, and the message keeps its Message-ID so
the receiving side can recognise the repeat. SMTP has no way to close that window entirely.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta
from enum import Enum
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, transaction
from django.db import connection as db_connection
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from meded.accounts.models import User
from meded.remember import one_bump_for_many

from . import connections
from .kinds import get_kind
from .models import EmailPreference, SentEmail
from .rendering import build_attachments, load_context, load_objects, render_email

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


def _claimable() -> Q:
    return Q(status=SentEmail.Status.QUEUED) | Q(
        status=SentEmail.Status.SENDING, sending_started_at__lt=_stuck_before()
    )


def _queued_and_due(now: datetime) -> Q:
    return Q(status=SentEmail.Status.QUEUED) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def claim(sent_email_id: int, *, batch: int = 1) -> SentEmail | None:
    """Mark a queued (or stuck) row "sending" for this worker; None if someone else has it."""
    rows = claim_batch(sent_email_id, batch=batch)
    return next((r for r in rows if r.pk == sent_email_id), None)


def claim_batch(sent_email_id: int | None, *, batch: int | None = None) -> list[SentEmail]:
    """This row (if still to send) plus up to `batch - 1` other queued rows that are due.

    A worker woken for one email takes what else is waiting, so one SMTP connection carries a
    batch; skip_locked lets other workers take the next rows at the same time. A row that
    should no longer go gets its final status instead: expired (past its deliver_before) or
    suppressed (the member turned its category off while it waited).
    """
    size = settings.MEDED_EMAIL_BATCH if batch is None else batch
    now = timezone.now()
    with transaction.atomic():
        locked = SentEmail.objects.select_for_update(skip_locked=True, of=("self",))
        rows = []
        if sent_email_id is not None:
            rows = list(locked.filter(_claimable(), pk=sent_email_id)[:1])
        if size > len(rows):
            rows += list(
                locked.filter(_queued_and_due(now))
                .exclude(pk=sent_email_id)
                .order_by("pk")[: size - len(rows)]
            )
        if not rows:
            return []
        disabled = _disabled(rows)
        sending = []
        for row in rows:
            not_sent = _reason_not_to_send(row, now, disabled)
            if not_sent is not None:
                row.status, reason = not_sent
                row.last_error = (
                    f"{reason} Last error: {row.last_error}" if row.last_error else reason
                )
                row.save(update_fields=["status", "last_error", "updated_at"])
                continue
            row.status = SentEmail.Status.SENDING
            row.attempts += 1
            row.sending_started_at = now
            row.next_attempt_at = None
            row.updated_at = now
            sending.append(row)
        if sending:  # one UPDATE for the batch: the same values, attempts counted in SQL
            SentEmail.objects.filter(pk__in=[r.pk for r in sending]).update(
                status=SentEmail.Status.SENDING,
                attempts=F("attempts") + 1,
                sending_started_at=now,
                next_attempt_at=None,
                updated_at=now,
            )
    return rows


def _disabled(rows: list[SentEmail]) -> set[tuple[int, str]]:
    """(member, category) pairs turned off among a batch's recipients: one query."""
    return set(
        EmailPreference.objects.filter(
            user_id__in={r.recipient_id for r in rows}, enabled=False
        ).values_list("user_id", "category")
    )


def _reason_not_to_send(
    row: SentEmail, now: datetime, disabled: set[tuple[int, str]]
) -> tuple[str, str] | None:
    if row.deliver_before is not None and now >= row.deliver_before:
        return SentEmail.Status.EXPIRED, "Not sent: its deadline passed before it could go."
    try:
        category = get_kind(row.kind).category
    except LookupError:  # a kind no longer registered: send what was decided
        category = None
    if category is not None and (row.recipient_id, category) in disabled:
        return SentEmail.Status.SUPPRESSED, "Not sent: the member turned these emails off."
    return None


def render(rows: list[SentEmail]) -> dict[int, Exception]:
    """Render the rows that carry a context (outside any lock), loading every object they name
    in one query per model; returns the rows that could not be rendered, with the reason."""
    todo = [r for r in rows if r.context is not None and r.rendered_at is None]
    if not todo:
        return {}
    objects = load_objects(
        [r.context for r in todo] + [a.get("arguments") for r in todo for a in r.attachments or []]
    )
    recipients = User.objects.in_bulk({r.recipient_id for r in todo})
    failures: dict[int, Exception] = {}
    now = timezone.now()
    for row in todo:
        try:
            body = render_email(
                recipients[row.recipient_id], row.kind, load_context(row.context, objects)
            )
            row.attachments = build_attachments(row.attachments, objects)
        except Exception as exc:  # a deleted object or a template bug: this row, not the batch
            failures[row.pk] = exc
            continue
        row.subject, row.body_text = body["subject"], body["body_text"]
        row.body_html, row.headers = body["body_html"], body["headers"]
        row.rendered_at = now
    return failures


def message_id(row: SentEmail) -> str:
    """The same Message-ID on every attempt, so a receiving server can tell a repeat."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "meded"
    return f"<meded-email-{row.pk}@{domain}>"


def build_message(row: SentEmail, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to_email],
        headers={"Message-ID": message_id(row), **(row.headers or {})},
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
    """Deliver this row, and with it a batch of other due rows over the same connection."""
    outcomes = deliver_batch(sent_email_id)
    return outcomes.get(sent_email_id, Outcome.SKIPPED)


RENDERED_FIELDS = ["subject", "body_text", "body_html", "headers", "attachments", "rendered_at"]


def deliver_batch(sent_email_id: int | None = None) -> dict[int, Outcome]:
    """Claim a batch, render it, send it over one SMTP connection, and mark each row sent as
    soon as the server has accepted it, before the next message and before the connection
    closes: a worker killed after that point leaves nothing to send twice. The connection is
    kept for the worker's next batch (connections.py)."""
    rows = claim_batch(sent_email_id)
    outcomes = {r.pk: Outcome(r.status) for r in rows if r.status != SentEmail.Status.SENDING}
    rows = [r for r in rows if r.status == SentEmail.Status.SENDING]
    if not rows:
        return outcomes
    failures = render(rows)
    with one_bump_for_many(), _marks_not_waiting_for_the_disk():
        connections.release(_send_all(rows, failures, outcomes))
    return outcomes


def _send_all(rows: list[SentEmail], failures: dict[int, Exception], outcomes: dict) -> object:
    """Send each rendered row over one connection (reopened after a failure); returns the
    connection to keep, or drops it on the way out of anything unexpected."""
    backend = None
    try:
        for row in rows:
            if row.pk in failures:
                outcomes[row.pk] = _record_failure(row, failures[row.pk], permanent=True)
                continue
            try:
                if backend is None:
                    backend = connections.acquire()
                connections.send(backend, build_message(row))
            except Exception as exc:
                outcomes[row.pk] = _record_failure(row, exc)
                connections.drop(backend)
                backend = None
                continue
            _mark_sent(row)
            outcomes[row.pk] = Outcome.SENT
    except BaseException:
        connections.drop(backend)
        raise
    return backend


@contextmanager
def _marks_not_waiting_for_the_disk() -> Iterator[None]:
    """On PostgreSQL, a batch's marks commit without waiting for the WAL to reach the disk
    (`synchronous_commit = off` for this connection, reset after the batch). The database stays
    consistent; a crash of PostgreSQL itself (not of the worker) can lose the last few hundred
    milliseconds of marks, and those rows go again with the same Message-ID once they count as
    stuck: the same window as a worker that dies between the server's "250" and its UPDATE,
    which the module already accepts. Inside a transaction (tests) nothing is changed."""
    if db_connection.vendor != "postgresql" or db_connection.in_atomic_block:
        yield
        return
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with suppress(DatabaseError), db_connection.cursor() as cursor:  # a lost connection
            cursor.execute("RESET synchronous_commit")  # is closed, and with it the setting


def _mark_sent(row: SentEmail) -> None:
    """One UPDATE by primary key, committed at once: the server has said "250"."""
    row.status = SentEmail.Status.SENT
    row.sent_at = row.updated_at = timezone.now()
    row.last_error = ""
    fields = ["status", "sent_at", "last_error", "updated_at"]
    _update(row, fields + (RENDERED_FIELDS if row.rendered_at else []))


def _update(row: SentEmail, fields: list[str]) -> None:
    """A plain UPDATE of these fields by primary key, without the ORM's save machinery (it
    runs once per email). Values are prepared by each field, as save() would."""
    model_fields = [SentEmail._meta.get_field(name) for name in fields]
    params = [f.get_db_prep_save(getattr(row, f.attname), db_connection) for f in model_fields]
    with db_connection.cursor() as cursor:
        cursor.execute(_update_sql(tuple(fields), db_connection.vendor), [*params, row.pk])


@lru_cache(maxsize=16)
def _update_sql(fields: tuple[str, ...], vendor: str) -> str:
    quote, meta = db_connection.ops.quote_name, SentEmail._meta
    columns = ", ".join(f"{quote(meta.get_field(f).column)} = %s" for f in fields)
    return f"UPDATE {quote(meta.db_table)} SET {columns} WHERE {quote(meta.pk.column)} = %s"


def _record_failure(row: SentEmail, exc: Exception, *, permanent: bool = False) -> Outcome:
    retry = not permanent and is_temporary(exc) and row.attempts < MAX_ATTEMPTS
    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if retry:
        row.status = SentEmail.Status.QUEUED
        row.next_attempt_at = timezone.now() + timedelta(seconds=backoff_seconds(row.attempts))
    else:
        row.status = SentEmail.Status.FAILED
        log.warning("email %s failed permanently: %s", row.pk, row.last_error)
    fields = ["status", "last_error", "next_attempt_at", "updated_at"]
    row.save(update_fields=fields + (RENDERED_FIELDS if row.rendered_at else []))
    return Outcome.RETRY if retry else Outcome.FAILED


def requeue_lost(older_than_minutes: int | None = None) -> list[int]:
    """Rows whose delivery should have happened by now: the broker lost the message (down,
    flushed, restarted without persistence) or a worker died while sending.

    A queued row is due again MEDED_EMAIL_QUEUED_GRACE_SECONDS after it was queued (or after
    its back-off ended), so work lost with Redis goes within minutes; queueing it twice is
    harmless (the claim decides). A row left "sending" waits MEDED_EMAIL_STUCK_MINUTES, as its
    SMTP conversation may still be running.
    """
    now = timezone.now()
    stuck = now - timedelta(
        minutes=settings.MEDED_EMAIL_STUCK_MINUTES
        if older_than_minutes is None
        else older_than_minutes
    )
    grace = (
        now - timedelta(seconds=settings.MEDED_EMAIL_QUEUED_GRACE_SECONDS)
        if older_than_minutes is None
        else stuck
    )
    return list(
        SentEmail.objects.annotate(due_at=Coalesce("next_attempt_at", "updated_at"))
        .filter(
            Q(status=SentEmail.Status.QUEUED, due_at__lte=grace)
            | Q(status=SentEmail.Status.SENDING, sending_started_at__lt=stuck)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
