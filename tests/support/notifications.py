"""Test support for emails: a test-only kind with its due job, an SMTP sink (aiosmtpd) that
can be stopped and started on the same port, and a real Celery worker in a subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from email import message_from_bytes
from email.message import Message
from pathlib import Path

from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from meded.notifications import notify, register_kind

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = Path(__file__).resolve().parent / "templates"
REMINDER_KIND = "test_session_reminder"
RECEIPT_KIND = "test_receipt"

register_kind(REMINDER_KIND, "Test: session reminder 24 h before", category="reminders")
register_kind(RECEIPT_KIND, "Test: a transactional receipt")


def use_test_templates(settings) -> None:
    """Add tests/support/templates to the template dirs (pytest-django settings fixture)."""
    templates = [dict(t) for t in settings.TEMPLATES]
    templates[0]["DIRS"] = [*templates[0].get("DIRS", []), TEMPLATES]
    settings.TEMPLATES = templates


def remind_sessions_due() -> int:
    """Test-only due job: a reminder for each confirmed booking of a published session that
    starts within the next 24 hours (computed in UTC from the stored start)."""
    from sessions_app.models import Booking, TeachingSession

    now = timezone.now()
    bookings = Booking.objects.filter(
        status=Booking.Status.CONFIRMED,
        session__status=TeachingSession.Status.PUBLISHED,
        session__starts_at__gt=now,
        session__starts_at__lte=now + timedelta(hours=24),
    ).select_related("session", "student")
    sent = 0
    for booking in bookings:
        with transaction.atomic():
            if notify(booking.student, REMINDER_KIND, booking, {"session": booking.session}):
                sent += 1
    return sent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """An SMTP server on 127.0.0.1 that keeps what it receives; stop() refuses connections."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.received: list[Message] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        with self._lock:
            self.received.append(message_from_bytes(envelope.original_content))
        return "250 Message accepted for delivery"

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> SmtpSink:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def messages(self) -> list[Message]:
        with self._lock:
            return list(self.received)


def database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return (
        f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


class Worker:
    """`celery -A meded worker` in a subprocess on the same database and Redis as the test."""

    def __init__(
        self,
        email_url: str,
        *,
        pool: str = "solo",
        concurrency: int = 1,
        log: Path,
        purge: bool = True,
    ):
        self.email_url = email_url
        self.purge = purge
        self.pool = pool
        self.concurrency = concurrency
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 120) -> Worker:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": os.environ["REDIS_URL"],
            "EMAIL_URL": self.email_url,
            "MEDED_EMAIL_RETRY_SECONDS": "1",
            "PYTHONUNBUFFERED": "1",
        }
        celery = Path(sys.executable).with_name("celery")
        self._log_file = open(self.log, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                str(celery),
                "-A",
                "meded",
                "worker",
                *(["--purge"] if self.purge else []),
                "--without-gossip",
                "--without-mingle",
                f"--pool={self.pool}",
                f"--concurrency={self.concurrency}",
                "-l",
                "info",
                "-n",
                f"meded-test-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        wait_for(lambda: b"ready." in self.log.read_bytes(), timeout, self.describe)
        return self

    def describe(self) -> str:
        return f"worker log:\n{self.log.read_text(errors='replace')[-4000:]}"

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
            self._log_file.close()


def wait_for(condition: Callable[[], bool], timeout: float, describe=lambda: "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s. {describe()}")


class FailingBackend(BaseEmailBackend):
    """Email backend whose send raises `FailingBackend.error` (set by the test)."""

    error: Exception | None = None

    def send_messages(self, messages):
        if FailingBackend.error is not None:
            raise FailingBackend.error
        from django.core import mail

        mail.outbox.extend(messages)
        return len(messages)


def send_queued() -> None:
    """Deliver every queued email as a worker would (rendered now, sent over the test backend):
    for tests that read what an email says, which is decided at delivery."""
    from meded.models import SentEmail
    from meded.notifications import delivery

    queued = SentEmail.objects.filter(status=SentEmail.Status.QUEUED).order_by("pk")
    for pk in queued.values_list("pk", flat=True):
        delivery.deliver(pk)
