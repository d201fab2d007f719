"""The worker's way out: an SMTP connection kept open between batches, one per worker thread.

Opening a connection costs a TCP handshake (and in production TLS and AUTH); a worker draining
the queue sends batch after batch, so it keeps the connection of the last batch for
MEDED_EMAIL_KEEP_OPEN_SECONDS. A kept connection is checked with NOOP before the next batch (a
server closes idle ones) and replaced if the check fails, before any message goes over it.
An error while sending drops the connection, so a broken one is never handed on. Only Django's
SMTP backend is kept; other backends (console, locmem in tests) are made per batch.

Messages go straight to smtplib as bytes: the same envelope and serialisation as Django's SMTP
backend, without its per-message lock and address parsing of the sender.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address

log = logging.getLogger(__name__)

_kept = threading.local()


def _config() -> tuple:
    """What a kept connection must still match (settings change in tests, never in a worker)."""
    return (
        settings.EMAIL_BACKEND,
        settings.EMAIL_HOST,
        settings.EMAIL_PORT,
        settings.EMAIL_HOST_USER,
        settings.EMAIL_USE_TLS,
        settings.EMAIL_USE_SSL,
    )


def acquire() -> BaseEmailBackend:
    """An open backend for one batch: the kept SMTP connection if it still answers, else new."""
    kept = getattr(_kept, "backend", None)
    _kept.backend = None  # taken: a batch that dies half-way hands nothing on
    if kept is not None:
        backend, config, released_at = kept
        fresh = time.monotonic() - released_at < settings.MEDED_EMAIL_KEEP_OPEN_SECONDS
        if fresh and config == _config() and _answers(backend):
            return backend
        drop(backend)
    backend = get_connection(fail_silently=False)
    backend.open()
    return backend


def release(backend: BaseEmailBackend | None) -> None:
    """After a batch that ended without an error: keep an SMTP connection, close anything else."""
    if backend is None:
        return
    keep = settings.MEDED_EMAIL_KEEP_OPEN_SECONDS > 0
    if keep and isinstance(backend, SmtpBackend) and backend.connection is not None:
        close_kept()
        _kept.backend = (backend, _config(), time.monotonic())
    else:
        drop(backend)


def drop(backend: BaseEmailBackend | None) -> None:
    """Close a connection that may be broken; a failure to close is not an error."""
    if backend is None:
        return
    try:
        backend.close()
    except Exception:  # a broken connection is replaced, not reported
        log.info("closing an SMTP connection failed", exc_info=True)


def close_kept() -> None:
    """Close this thread's kept connection (worker shutdown, tests)."""
    kept = getattr(_kept, "backend", None)
    _kept.backend = None
    if kept is not None:
        drop(kept[0])


def _answers(backend: BaseEmailBackend) -> bool:
    connection = getattr(backend, "connection", None)
    if connection is None:
        return False
    try:
        return connection.noop()[0] == 250
    except Exception:  # dropped by the server while idle: open a new one
        return False


def send(backend: BaseEmailBackend, message: EmailMessage) -> None:
    """Send one message; raises what the server or the network raised (nothing is swallowed)."""
    if not isinstance(backend, SmtpBackend):
        backend.send_messages([message])
        return
    if backend.connection is None:
        backend.open()
    encoding = message.encoding or settings.DEFAULT_CHARSET
    recipients = [sanitize_address(address, encoding) for address in message.recipients()]
    backend.connection.sendmail(
        _sender(message.from_email, encoding), recipients, as_bytes(message)
    )


@lru_cache(maxsize=8)
def _sender(from_email: str, encoding: str) -> str:
    return sanitize_address(from_email, encoding)


def as_bytes(message: EmailMessage) -> bytes:
    """The message as sent on the wire. Each multipart gets a random 128-bit boundary up front:
    the standard library would otherwise compile a regular expression per message to check
    that its guessable boundary is not in the body; a random one cannot be there."""
    mime = message.message()
    for part in mime.walk():
        if part.is_multipart():
            part.set_boundary(f"=_meded_{secrets.token_hex(16)}")
    return mime.as_bytes(linesep="\r\n")
