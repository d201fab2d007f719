"""notify(): one row per (recipient, kind, object), written in the caller's transaction, and
delivered only after that transaction commits, unless the member turned the category off."""

import pytest
from django.core import mail
from django.db import transaction

from meded.models import SentEmail
from meded.notifications import notify, register_kind
from meded.notifications.services import set_category
from meded.notifications.tokens import read_unsubscribe_token
from meded.remember import TableBump
from tests.factories.core import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_kinds")]

REMINDER = "test_session_reminder"
RECEIPT = "test_receipt"


def deliveries(hooks: list) -> list:
    """The on-commit hooks that deliver (not the cache's table-version bump, meded/remember.py)."""
    return [hook for hook in hooks if not isinstance(hook, TableBump)]


def test_a_second_notify_for_the_same_key_does_nothing(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(user, RECEIPT, "order:1")
        second = notify(user, RECEIPT, "order:1")
    assert first is not None and second is None
    assert SentEmail.objects.count() == 1
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(user, RECEIPT, "order:1") is None
    assert len(mail.outbox) == 1


def test_the_same_kind_goes_once_per_object_and_per_recipient(django_capture_on_commit_callbacks):
    ann, bob = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(ann, RECEIPT, "order:1")
        notify(ann, RECEIPT, "order:2")
        notify(bob, RECEIPT, "order:1")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ann.email, ann.email, bob.email])


def test_a_model_instance_is_keyed_by_label_and_pk(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        row = notify(user, RECEIPT, user)
    assert row.object_key == f"meded.user:{user.pk}"


def test_nothing_is_delivered_before_the_commit(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as hooks:
        row = notify(user, RECEIPT, "order:1")
    callbacks = deliveries(hooks)
    assert row.status == SentEmail.Status.QUEUED
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    row.refresh_from_db()
    assert row.status == SentEmail.Status.SENT and row.attempts == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_decision_leaves_no_row_and_sends_nothing():
    user = UserFactory()

    class Abandon(Exception):
        pass

    with pytest.raises(Abandon), transaction.atomic():
        notify(user, RECEIPT, "order:1")
        raise Abandon
    assert not SentEmail.objects.exists()
    assert mail.outbox == []
    # the key is free again: the decision never happened
    with transaction.atomic():
        assert notify(user, RECEIPT, "order:1") is not None
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_committed_decision_is_delivered_once_after_commit():
    user = UserFactory()
    with transaction.atomic():
        notify(user, RECEIPT, "order:1")
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    assert SentEmail.objects.get().status == SentEmail.Status.SENT


def test_a_category_turned_off_is_logged_as_suppressed_and_not_sent(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    set_category(user, "reminders", False)
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        row = notify(user, REMINDER, "session:1", {"session": None})
    assert row.status == SentEmail.Status.SUPPRESSED
    assert deliveries(hooks) == [] and mail.outbox == []
    # turning it back on later does not resend the one that was suppressed
    set_category(user, "reminders", True)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(user, REMINDER, "session:1", {"session": None}) is None
    assert mail.outbox == []


def test_transactional_kinds_cannot_be_turned_off(django_capture_on_commit_callbacks):
    user = UserFactory()
    for category in ("reminders", "feedback", "tutoring", "digests"):
        set_category(user, category, False)
    with pytest.raises(ValueError):
        set_category(user, None, False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(user, RECEIPT, "order:1")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "List-Unsubscribe" not in message.extra_headers
    assert "Unsubscribe" not in message.body


def test_optional_emails_carry_list_unsubscribe_headers_and_link(
    django_capture_on_commit_callbacks, settings
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(user, REMINDER, "session:1", {"session": None})
    message = mail.outbox[0]
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith(f"<{settings.SITE_URL}/accounts/unsubscribe/") and header[-1] == ">"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = header[1:-1]
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert read_unsubscribe_token(token) == (user.pk, "reminders")
    assert url in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and url in html
    assert settings.SOCIETY_NAME in html and settings.SOCIETY_NAME in message.body


def test_subject_and_text_are_not_html_escaped(django_capture_on_commit_callbacks):
    user = UserFactory(full_name="Niamh O'Brien & Co")
    with django_capture_on_commit_callbacks(execute=True):
        notify(user, RECEIPT, "order:1")
    assert mail.outbox[0].subject == "Receipt for Niamh O'Brien & Co"
    assert "&#x27;" not in mail.outbox[0].body


def test_attachments_are_sent(django_capture_on_commit_callbacks):
    user = UserFactory()
    ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            user,
            RECEIPT,
            "order:1",
            attachments=[{"filename": "s.ics", "mimetype": "text/calendar", "content": ics}],
        )
    assert mail.outbox[0].attachments == [("s.ics", ics, "text/calendar")]


def test_unknown_kind_or_category_is_refused():
    with pytest.raises(LookupError):
        notify(UserFactory(), "no_such_kind", "x:1")
    with pytest.raises(ValueError):
        register_kind("test_bad", "bad", category="newsletters")


@pytest.mark.django_db(transaction=True)
def test_a_broker_failure_after_commit_does_not_break_the_caller(monkeypatch):
    """The row stays queued; retry_stuck sends it later."""
    from meded.notifications import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks.deliver_email, "delay", broker_down)
    user = UserFactory()
    with transaction.atomic():
        row = notify(user, RECEIPT, "order:1")
    row.refresh_from_db()
    assert row.status == SentEmail.Status.QUEUED
    assert mail.outbox == []
