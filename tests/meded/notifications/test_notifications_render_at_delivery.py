"""Emails are rendered by the worker at delivery, not by the transaction that decided them; a
worker sends a batch over one SMTP connection and marks each row sent as soon as the server has
accepted it, so a worker killed afterwards leaves nothing to send twice."""

import smtplib
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.template.base import Template

from meded.models import SentEmail
from meded.notifications import connections, delivery, notify, rendering
from meded.notifications.delivery import Outcome
from meded.notifications.tasks import deliver_email, retry_stuck
from sessions_app.booking import calendar
from sessions_app.booking.services import book
from tests.factories.core import UserFactory
from tests.factories.sessions import TeachingSessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_kinds")]


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs, no except Exception catches it."""


def queued(n: int = 1) -> list[SentEmail]:
    with mock.patch.object(deliver_email, "delay"):
        return [notify(UserFactory(), "test_receipt", f"order:{i}") for i in range(n)]


def test_booking_only_inserts_the_row_under_the_session_lock(django_capture_on_commit_callbacks):
    """book() holds the session's row lock for its whole transaction: no template is rendered
    and no .ics is built in it; both happen when the worker delivers, after the commit."""
    session = TeachingSessionFactory(capacity=5)
    student = UserFactory()
    calls: list[str] = []
    real_render, real_ics, real_template = (
        rendering.render_email,
        calendar.session_ics,
        Template.render,
    )

    def render(*args, **kwargs):
        calls.append("render")
        return real_render(*args, **kwargs)

    def ics(*args, **kwargs):
        calls.append("ics")
        return real_ics(*args, **kwargs)

    def template(self, context):
        calls.append("template")
        return real_template(self, context)

    with (
        mock.patch.object(delivery, "render_email", render),
        mock.patch.object(calendar, "session_ics", ics),
        mock.patch.object(Template, "render", template),
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            booking = book(student, session)
        row = SentEmail.objects.get(kind="booking_confirmed")
        assert calls == []  # nothing slow happened while the lock was held
        assert row.subject == "" and row.body_text == "" and row.rendered_at is None
        assert row.context["booking"] == {"$ref": "sessions_app.booking", "pk": booking.pk}
        assert row.attachments == [
            {"builder": "booking_ics", "arguments": {"booking": row.context["booking"]}}
        ]
        for callback in callbacks:
            callback()
    assert {"ics", "render", "template"} == set(calls)
    row.refresh_from_db()
    assert row.status == SentEmail.Status.SENT and session.title in row.subject
    assert row.attachments[0]["content"].startswith("BEGIN:VCALENDAR")  # what was sent, kept
    (message,) = mail.outbox
    assert session.title in message.subject
    assert message.attachments[0][0] == f"session-{session.pk}.ics"


def test_a_context_is_kept_by_reference_and_read_back():
    user = UserFactory()
    when = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    stored = rendering.dump_context({"who": user, "when": when, "n": 3, "items": ["a", user]})
    assert stored["who"] == {"$ref": "meded.user", "pk": user.pk}
    loaded = rendering.load_context(stored)
    assert loaded == {"who": user, "when": when, "n": 3, "items": ["a", user]}
    with pytest.raises(TypeError, match="rendered later"):
        rendering.dump_context({"callback": object()})


def test_an_email_about_a_deleted_object_fails_visibly_and_the_batch_goes_on():
    doomed = UserFactory()
    with mock.patch.object(deliver_email, "delay"):
        first = notify(UserFactory(), "test_receipt", "order:1", {"about": doomed})
        second = notify(UserFactory(), "test_receipt", "order:2")
    doomed.delete()
    outcomes = delivery.deliver_batch(first.pk)
    assert outcomes == {first.pk: Outcome.FAILED, second.pk: Outcome.SENT}
    first.refresh_from_db()
    assert first.status == SentEmail.Status.FAILED and "no longer exists" in first.last_error
    assert [m.to[0] for m in mail.outbox] == [second.to_email]


def test_a_worker_sends_a_batch_over_one_smtp_connection(sink, monkeypatch):
    rows = queued(6)
    connects = []
    real_connect = smtplib.SMTP.connect

    def connect(self, *args, **kwargs):
        connects.append(args)
        return real_connect(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "connect", connect)
    assert delivery.deliver(rows[0].pk) is Outcome.SENT  # woken for one, takes the others
    assert len(connects) == 1
    assert sorted(m["To"] for m in sink.messages()) == sorted(r.to_email for r in rows)
    assert set(SentEmail.objects.values_list("status", flat=True)) == {SentEmail.Status.SENT}
    assert all(delivery.deliver(r.pk) is Outcome.SKIPPED for r in rows)
    assert len(sink.messages()) == 6


def test_killed_before_closing_the_connection_the_accepted_email_is_not_sent_again(
    sink, settings, monkeypatch
):
    """The server accepted the message; the worker dies before it keeps or closes the
    connection. The row is already marked sent, so the lost-mail sweep and a redelivered task
    send nothing more."""
    (row,) = queued(1)

    def killed(backend):
        raise WorkerKilled

    monkeypatch.setattr(connections, "release", killed)
    with pytest.raises(WorkerKilled):
        delivery.deliver(row.pk)
    monkeypatch.undo()
    row.refresh_from_db()
    assert row.status == SentEmail.Status.SENT
    settings.MEDED_EMAIL_STUCK_MINUTES = 0
    settings.MEDED_EMAIL_QUEUED_GRACE_SECONDS = 0
    assert retry_stuck() == 0
    assert delivery.deliver(row.pk) is Outcome.SKIPPED
    (message,) = sink.messages()
    assert message["Message-ID"] == delivery.message_id(row)


def test_killed_in_the_middle_of_a_batch_each_email_arrives_once(sink, settings, monkeypatch):
    """Killed after the server accepted the first of three: the first is marked at once, the
    other two are reclaimed by the sweep once the stuck timeout has passed."""
    rows = queued(3)
    built = []
    real_build = delivery.build_message

    def build(row, connection=None):
        built.append(row.pk)
        if len(built) == 2:
            raise WorkerKilled
        return real_build(row, connection)

    monkeypatch.setattr(delivery, "build_message", build)
    with pytest.raises(WorkerKilled):
        delivery.deliver(rows[0].pk)
    monkeypatch.undo()
    statuses = dict(SentEmail.objects.values_list("pk", "status"))
    assert statuses[rows[0].pk] == SentEmail.Status.SENT
    assert {statuses[rows[1].pk], statuses[rows[2].pk]} == {SentEmail.Status.SENDING}
    settings.MEDED_EMAIL_STUCK_MINUTES = 15
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=16), tick=False):
        assert retry_stuck() == 2
    received = sorted(m["To"] for m in sink.messages())
    assert received == sorted(r.to_email for r in rows)  # three emails, no duplicate
