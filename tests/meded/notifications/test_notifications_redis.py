"""End to end on real services: Redis broker, a Celery worker in a subprocess, PostgreSQL shared
with the worker, and an SMTP server (aiosmtpd) on 127.0.0.1. A session reminder arrives exactly
once, whether the periodic run repeats or the SMTP server was down for a while."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from meded.celery import app as celery_app
from meded.models import SentEmail
from meded.notifications.tasks import dispatch_due, retry_stuck
from tests.factories.sessions import BookingFactory, TeachingSessionFactory
from tests.support.notifications import SmtpSink, Worker, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def smtp():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def worker(smtp, tmp_path):
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False  # this process sends to Redis, the worker delivers
    process = Worker(smtp.url, log=tmp_path / "worker.log").start()
    yield process
    process.stop()
    celery_app.conf.task_always_eager = before


def reminders() -> list[SentEmail]:
    return list(SentEmail.objects.filter(kind="session_reminder").order_by("pk"))


def booked_two_days_ago(session):
    """A reminder goes only to bookings made before its window opened."""
    earlier = timezone.now() - timedelta(days=2)
    return BookingFactory(session=session, joined_at=earlier, confirmed_at=earlier)


def settle(worker: Worker, seconds: float = 2.0) -> None:
    """Let retries that the worker still holds fire (back-off is 1 s in the worker)."""
    time.sleep(seconds)


def test_a_session_reminder_arrives_exactly_once_through_redis_and_a_worker(worker, smtp, settings):
    session = TeachingSessionFactory(
        title="Renal physiology", starts_at=timezone.now() + timedelta(hours=23)
    )
    ann = booked_two_days_ago(session).student

    # the periodic run decides, the worker delivers over SMTP
    assert dispatch_due().get("sessions_app.reminders") == 1
    wait_for(lambda: len(smtp.messages()) == 1, 120, worker.describe)
    wait_for(lambda: reminders()[0].status == SentEmail.Status.SENT, 10, worker.describe)
    [message] = smtp.messages()
    assert message["To"] == ann.email and "Renal physiology" in message["Subject"]
    assert message["List-Unsubscribe"].strip().startswith("<http") and message.is_multipart()

    # a second run, this time as the beat would run it: through the broker on the worker
    dispatch_due.delay()
    wait_for(
        lambda: (
            "dispatch_due[" in worker.log.read_text()
            and "succeeded" in worker.log.read_text().split("dispatch_due[", 1)[1]
        ),
        120,  # patience on a loaded CI machine, not a speed claim
        worker.describe,
    )
    assert dispatch_due().get("sessions_app.reminders") == 0
    settle(worker)
    assert len(smtp.messages()) == 1

    # the SMTP server goes down: the next reminder is kept and retried, not lost
    smtp.stop()
    bob = booked_two_days_ago(session).student
    assert dispatch_due().get("sessions_app.reminders") == 1
    wait_for(
        lambda: any(r.attempts >= 1 and r.last_error for r in reminders()), 30, worker.describe
    )
    bobs = SentEmail.objects.get(kind="session_reminder", recipient=bob)
    assert bobs.status in {SentEmail.Status.QUEUED, SentEmail.Status.SENDING}
    assert "Connection refused" in bobs.last_error or "Errno" in bobs.last_error

    # it comes back: the next runs deliver it, once
    smtp.start()
    settings.MEDED_EMAIL_STUCK_MINUTES = 0
    retry_stuck()
    dispatch_due()
    wait_for(lambda: len(smtp.messages()) == 2, 120, worker.describe)
    settle(worker)
    retry_stuck()
    dispatch_due()
    settle(worker)
    assert sorted(m["To"] for m in smtp.messages()) == sorted([ann.email, bob.email])
    assert [r.status for r in reminders()] == [SentEmail.Status.SENT] * 2
