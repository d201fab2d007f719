"""A worker's batch costs the same queries whatever its size, apart from one UPDATE per email
that the server accepted; its SMTP connection is kept for the next batch, and one the server
dropped while idle is reopened before anything is sent, so every email arrives once."""

import smtplib
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meded.models import SentEmail
from meded.notifications import delivery, notify
from meded.notifications.delivery import Outcome
from meded.notifications.tasks import deliver_email
from tests.factories.core import UserFactory
from tests.factories.sessions import TeachingSessionFactory
from tests.support.notifications import REMINDER_KIND

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_kinds")]


@pytest.fixture
def connects(monkeypatch) -> list:
    made: list = []
    real_connect = smtplib.SMTP.connect

    def connect(self, *args, **kwargs):
        made.append(args)
        return real_connect(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "connect", connect)
    return made


def reminders(n: int) -> list[SentEmail]:
    """n queued reminders, each about its own session: the renderer needs n sessions."""
    with mock.patch.object(deliver_email, "delay"):
        return [
            notify(UserFactory(), REMINDER_KIND, session, {"session": session})
            for session in TeachingSessionFactory.create_batch(n)
        ]


def receipts(n: int) -> list[SentEmail]:
    """n queued receipts, each to a new member."""
    with mock.patch.object(deliver_email, "delay"):
        return [notify(UserFactory(), "test_receipt", "order:1") for _ in range(n)]


def queries(function, *args) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        function(*args)
    return [q["sql"] for q in captured.captured_queries]


def test_a_batch_renders_with_the_same_queries_for_2_emails_as_for_8():
    small, large = reminders(2), reminders(8)
    for row in small + large:  # the worker renders what it claimed
        row.refresh_from_db()
    assert len(queries(delivery.render, small)) == len(queries(delivery.render, large))
    for row in small + large:
        assert row.rendered_at and "starts" in row.body_text


def test_a_batch_costs_one_update_per_email_and_nothing_else_that_grows(settings):
    settings.MEDED_EMAIL_BATCH = 50
    first = reminders(2)
    small = queries(delivery.deliver_batch, first[0].pk)
    more = reminders(8)
    large = queries(delivery.deliver_batch, more[0].pk)
    assert len(large) - len(small) == 6
    marks = [q for q in large if q.startswith("UPDATE") and '"sent_at"' in q]
    assert len(marks) == 8  # each accepted email is marked at once, by its own UPDATE
    sent = SentEmail.objects.filter(status=SentEmail.Status.SENT)
    assert sent.count() == 10
    row = sent.get(pk=more[3].pk)
    assert row.sent_at and row.rendered_at and row.last_error == ""
    assert row.subject and row.body_text and "<html" in row.body_html  # what was sent, kept


def test_the_next_batch_reuses_the_connection_and_one_dropped_by_the_server_is_reopened(
    sink, connects
):
    first = receipts(1)
    assert delivery.deliver(first[0].pk) is Outcome.SENT
    second = receipts(1)
    assert delivery.deliver(second[0].pk) is Outcome.SENT
    assert len(connects) == 1  # the second batch went over the first batch's connection

    sink.stop()  # the server drops the idle connection (a restart, an idle timeout)
    sink.start()
    third = receipts(1)
    assert delivery.deliver(third[0].pk) is Outcome.SENT
    assert len(connects) == 2  # found dead by NOOP before sending, and replaced

    received = sorted(m["To"] for m in sink.messages())
    assert received == sorted(r.to_email for r in first + second + third)  # each once
    assert set(SentEmail.objects.values_list("status", flat=True)) == {SentEmail.Status.SENT}
    message = sink.messages()[-1]
    assert message["Message-ID"] == delivery.message_id(third[0])
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.get_payload()] == ["text/plain", "text/html"]


def test_a_connection_that_fails_while_sending_is_not_kept(sink, connects, monkeypatch):
    (row,) = receipts(1)
    real_sendmail = smtplib.SMTP.sendmail

    def broken(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(smtplib.SMTP, "sendmail", broken)
    assert delivery.deliver(row.pk) is Outcome.RETRY
    monkeypatch.setattr(smtplib.SMTP, "sendmail", real_sendmail)
    (again,) = receipts(1)
    assert delivery.deliver(again.pk) is Outcome.SENT
    assert len(connects) == 2  # the failed batch's connection was dropped, not handed on
    assert [m["To"] for m in sink.messages()] == [again.to_email]


def test_with_keep_open_off_each_batch_closes_its_connection(sink, connects, settings):
    settings.MEDED_EMAIL_KEEP_OPEN_SECONDS = 0
    for _ in range(2):
        (row,) = receipts(1)
        assert delivery.deliver(row.pk) is Outcome.SENT
    assert len(connects) == 2
