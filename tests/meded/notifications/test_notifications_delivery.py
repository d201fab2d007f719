"""Delivery: a temporary SMTP failure is retried with back-off, a permanent one is recorded,
a row stuck in "sending" is reclaimed, and two workers never send the same row."""

import smtplib
import threading
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import connection

from meded.models import SentEmail
from meded.notifications import delivery, notify
from meded.notifications.delivery import Outcome
from meded.notifications.tasks import deliver_email, dispatch_due, retry_stuck
from tests.factories.core import UserFactory
from tests.support.notifications import FailingBackend

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_kinds")]

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@pytest.fixture
def failing(settings):
    settings.EMAIL_BACKEND = "tests.support.notifications.FailingBackend"
    settings.MEDED_EMAIL_RETRY_SECONDS = 30
    yield FailingBackend
    FailingBackend.error = None


def queued(key="order:1") -> SentEmail:
    """A logged email whose delivery has not been dispatched yet."""
    with mock.patch.object(deliver_email, "delay"):
        return notify(UserFactory(), "test_receipt", key)


TEMPORARY = [
    smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
    ConnectionRefusedError(111, "Connection refused"),
    smtplib.SMTPResponseException(421, b"Service not available, try later"),
    smtplib.SMTPDataError(451, b"Requested action aborted: local error"),
    smtplib.SMTPRecipientsRefused({"a@b.test": (452, b"Mailbox full")}),
    smtplib.SMTPAuthenticationError(535, b"Bad credentials"),
    TimeoutError("timed out"),
]
PERMANENT = [
    smtplib.SMTPRecipientsRefused({"a@b.test": (550, b"No such user")}),
    smtplib.SMTPDataError(554, b"Message rejected"),
    smtplib.SMTPSenderRefused(553, b"Sender not allowed", "noreply@meded.test"),
]


@pytest.mark.parametrize("error", TEMPORARY, ids=lambda e: type(e).__name__)
def test_a_temporary_failure_queues_the_row_again_with_back_off(failing, error):
    row = queued()
    failing.error = error
    with time_machine.travel(NOW, tick=False):
        assert delivery.deliver(row.pk) is Outcome.RETRY
    row.refresh_from_db()
    assert row.status == SentEmail.Status.QUEUED
    assert row.attempts == 1
    assert row.next_attempt_at == NOW + timedelta(seconds=30)
    assert type(error).__name__ in row.last_error
    failing.error = None
    assert delivery.deliver(row.pk) is Outcome.SENT
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (SentEmail.Status.SENT, 2, "")
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("error", PERMANENT, ids=lambda e: type(e).__name__)
def test_a_5xx_reply_is_a_permanent_failure(failing, error):
    row = queued()
    failing.error = error
    assert delivery.deliver(row.pk) is Outcome.FAILED
    row.refresh_from_db()
    assert row.status == SentEmail.Status.FAILED and row.attempts == 1
    assert str(error.args[0]) in row.last_error
    # nothing picks a failed row up again by itself
    assert delivery.deliver(row.pk) is Outcome.SKIPPED
    assert delivery.requeue_lost(older_than_minutes=0) == []


def test_a_bug_while_building_the_message_is_recorded_not_left_sending(failing):
    row = queued()
    failing.error = ValueError("bad attachment")
    assert delivery.deliver(row.pk) is Outcome.FAILED
    row.refresh_from_db()
    assert row.status == SentEmail.Status.FAILED and "bad attachment" in row.last_error


def test_back_off_doubles_and_is_capped(settings):
    settings.MEDED_EMAIL_RETRY_SECONDS = 30
    assert [delivery.backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert delivery.backoff_seconds(20) == delivery.MAX_BACKOFF_SECONDS
    assert (
        settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        > delivery.MAX_BACKOFF_SECONDS
    )


def test_after_the_last_attempt_a_temporary_failure_becomes_permanent(failing):
    row = queued()
    failing.error = smtplib.SMTPServerDisconnected("gone")
    SentEmail.objects.filter(pk=row.pk).update(attempts=delivery.MAX_ATTEMPTS - 1)
    assert delivery.deliver(row.pk) is Outcome.FAILED
    row.refresh_from_db()
    assert row.status == SentEmail.Status.FAILED and row.attempts == delivery.MAX_ATTEMPTS


def test_the_task_asks_celery_to_retry_a_temporary_failure(failing):
    row = queued()
    failing.error = smtplib.SMTPServerDisconnected("gone")
    calls = []

    class Retry(Exception):
        pass

    def fake_retry(**kwargs):
        calls.append(kwargs)
        return Retry()

    deliver_email.push_request(retries=1, is_eager=False)
    try:
        deliver_email.retry = fake_retry
        with pytest.raises(Retry):
            deliver_email.run(row.pk)
    finally:
        del deliver_email.retry
        deliver_email.pop_request()
    assert calls[0]["countdown"] == 60
    assert deliver_email.acks_late is True


def test_a_row_stuck_in_sending_is_reclaimed_after_the_timeout(settings):
    settings.MEDED_EMAIL_STUCK_MINUTES = 15
    row = queued()
    with time_machine.travel(NOW, tick=False):
        assert delivery.claim(row.pk) is not None  # a worker claimed it, then died
    with time_machine.travel(NOW + timedelta(minutes=14), tick=False):
        assert delivery.claim(row.pk) is None
        assert delivery.requeue_lost() == []
    with time_machine.travel(NOW + timedelta(minutes=16), tick=False):
        assert delivery.requeue_lost() == [row.pk]
        assert delivery.deliver(row.pk) is Outcome.SENT
    row.refresh_from_db()
    assert row.status == SentEmail.Status.SENT and row.attempts == 2
    assert len(mail.outbox) == 1


def test_retry_stuck_sends_what_the_broker_lost_within_minutes(settings):
    """A queued row whose message never reached a worker (Redis restarted without persistence)
    is found in the database once its grace period is over: minutes, not the stuck timeout."""
    settings.MEDED_EMAIL_STUCK_MINUTES = 15
    settings.MEDED_EMAIL_QUEUED_GRACE_SECONDS = 120
    with time_machine.travel(NOW, tick=False):
        row = queued()  # its on_commit dispatch is dropped with the test transaction
    with time_machine.travel(NOW + timedelta(seconds=100), tick=False):
        assert retry_stuck() == 0  # a worker may still be on its way to it
    with time_machine.travel(NOW + timedelta(minutes=3), tick=False):
        assert retry_stuck() == 1
        assert retry_stuck() == 0
    row.refresh_from_db()
    assert row.status == SentEmail.Status.SENT
    assert len(mail.outbox) == 1


def test_retry_stuck_waits_for_the_back_off_of_a_failed_attempt(failing, settings):
    settings.MEDED_EMAIL_QUEUED_GRACE_SECONDS = 120
    settings.MEDED_EMAIL_RETRY_SECONDS = 1800
    row = queued()
    failing.error = smtplib.SMTPServerDisconnected("gone")
    with time_machine.travel(NOW, tick=False):
        delivery.deliver(row.pk)
    failing.error = None
    with time_machine.travel(NOW + timedelta(minutes=31), tick=False):
        assert retry_stuck() == 0  # Celery's own retry is due at +30 min: give it time
    with time_machine.travel(NOW + timedelta(minutes=33), tick=False):
        assert retry_stuck() == 1
    row.refresh_from_db()
    assert row.status == SentEmail.Status.SENT


def test_an_email_past_its_deadline_is_marked_expired_not_sent_late(failing, settings):
    """SMTP was down until the session began: its 1-hour reminder is not sent afterwards."""
    settings.MEDED_EMAIL_STUCK_MINUTES = 15
    starts = NOW + timedelta(hours=1)
    with time_machine.travel(NOW, tick=False), mock.patch.object(deliver_email, "delay"):
        row = notify(UserFactory(), "test_session_reminder", "booking:1", deliver_before=starts)
    failing.error = ConnectionRefusedError(111, "Connection refused")
    with time_machine.travel(NOW, tick=False):
        assert delivery.deliver(row.pk) is Outcome.RETRY
    failing.error = None
    with time_machine.travel(starts, tick=False):
        assert delivery.deliver(row.pk) is Outcome.EXPIRED
        assert deliver_email.apply(args=[row.pk]).get() == "skipped"
    row.refresh_from_db()
    assert row.status == SentEmail.Status.EXPIRED and row.attempts == 1
    assert row.last_error.startswith("Not sent: its deadline passed")
    assert "Connection refused" in row.last_error  # why it was late stays visible
    with time_machine.travel(starts + timedelta(hours=2), tick=False):
        assert retry_stuck() == 0
    assert mail.outbox == []


def test_a_reminder_waiting_for_a_retry_is_not_sent_once_the_member_unsubscribed(failing):
    from meded.notifications.services import set_category

    with mock.patch.object(deliver_email, "delay"):
        reminder = notify(UserFactory(), "test_session_reminder", "booking:1")
        receipt = notify(reminder.recipient, "test_receipt", "order:1")
    failing.error = smtplib.SMTPServerDisconnected("gone")
    assert delivery.deliver(reminder.pk) is Outcome.RETRY
    failing.error = None
    set_category(reminder.recipient, "reminders", False)  # one click in another email
    assert delivery.deliver(reminder.pk) is Outcome.SUPPRESSED
    assert delivery.deliver(receipt.pk) is Outcome.SENT  # transactional: always goes
    reminder.refresh_from_db()
    receipt.refresh_from_db()
    assert reminder.status == SentEmail.Status.SUPPRESSED
    assert "turned these emails off" in reminder.last_error
    assert [m.subject for m in mail.outbox] == [receipt.subject]


def test_an_email_before_its_deadline_is_sent():
    with mock.patch.object(deliver_email, "delay"):
        row = notify(UserFactory(), "test_receipt", "order:1", deliver_before=NOW)
    with time_machine.travel(NOW - timedelta(seconds=1), tick=False):
        assert delivery.deliver(row.pk) is Outcome.SENT
    assert len(mail.outbox) == 1


def test_a_sent_row_is_never_sent_again():
    row = queued()
    assert delivery.deliver(row.pk) is Outcome.SENT
    assert delivery.deliver(row.pk) is Outcome.SKIPPED
    assert deliver_email.apply(args=[row.pk]).get() == "skipped"
    assert len(mail.outbox) == 1


def test_dispatch_due_runs_every_job_and_survives_a_broken_one(monkeypatch):
    from django.dispatch import Signal

    from meded import periodic

    def broken(**kwargs):
        raise RuntimeError("bug")

    jobs = Signal()  # stands in for periodic_task, with just these two receivers
    jobs.connect(broken, dispatch_uid="broken", weak=False)
    jobs.connect(lambda **kwargs: 3, dispatch_uid="fine", weak=False)
    monkeypatch.setattr(periodic, "periodic_task", jobs)
    assert dispatch_due() == {"fine": 3}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_concurrent_second_claim_gets_nothing():
    row = queued()
    first_claimed = threading.Event()
    release = threading.Event()
    results = {}

    def slow_claim():
        """Holds the row lock the way claim() does, until told to let go."""
        from django.db import transaction

        try:
            with transaction.atomic():
                locked = (
                    SentEmail.objects.select_for_update(skip_locked=True).filter(pk=row.pk).first()
                )
                results["first"] = locked is not None
                first_claimed.set()
                release.wait(10)
        finally:
            connection.close()

    def second_claim():
        first_claimed.wait(10)
        try:
            results["second"] = delivery.claim(row.pk)
        finally:
            connection.close()
            release.set()

    threads = [threading.Thread(target=slow_claim), threading.Thread(target=second_claim)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert results == {"first": True, "second": None}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_workers_deliver_a_row_exactly_once():
    rows = [queued(f"order:{n}") for n in range(10)]
    outcomes = []
    barrier = threading.Barrier(6)

    def worker():
        barrier.wait(10)
        try:
            for row in rows:
                outcomes.append(delivery.deliver(row.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    # a worker that claims one row sends the other due ones in its batch: each row goes once
    assert Outcome.SENT in outcomes and Outcome.FAILED not in outcomes
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.to_email for r in rows)
    assert set(SentEmail.objects.values_list("attempts", flat=True)) == {1}
