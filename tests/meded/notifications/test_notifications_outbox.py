"""The committee outbox: the sent log with filters, errors shown, a failed email resent."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meded.models import SentEmail
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tests.support.remembering import orm_compiles  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_kinds")]

OUTBOX = "/committee/outbox/"


def log_row(status=SentEmail.Status.SENT, kind="test_receipt", when=None, **extra) -> SentEmail:
    user = extra.pop("recipient", None) or UserFactory()
    row = SentEmail.objects.create(
        recipient=user,
        to_email=user.email,
        kind=kind,
        object_key=f"order:{SentEmail.objects.count() + 1}",
        status=status,
        subject=f"Subject for {user.email}",
        body_text="Hello",
        body_html="<p>Hello</p>",
        **extra,
    )
    if when:
        SentEmail.objects.filter(pk=row.pk).update(created_at=when)
    return row


@pytest.mark.parametrize(
    ("role", "expected"),
    [(None, 302), (UserFactory, 403), (TutorFactory, 403), (CommitteeFactory, 200)],
    ids=["anonymous", "student", "tutor", "committee"],
)
def test_only_the_committee_sees_the_outbox_and_resends(
    client, role, expected, django_capture_on_commit_callbacks
):
    row = log_row(SentEmail.Status.FAILED, last_error="SMTPDataError: 554")
    if role:
        client.force_login(role())
    assert client.get(OUTBOX).status_code == expected
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("committee_outbox_resend", args=[row.pk]))
    assert response.status_code == (302 if role is CommitteeFactory else expected)
    row.refresh_from_db()
    if role is CommitteeFactory:
        assert row.status == SentEmail.Status.SENT
    else:
        assert row.status == SentEmail.Status.FAILED
        assert mail.outbox == []


def test_filters_by_kind_status_and_date(client):
    client.force_login(CommitteeFactory())
    a = log_row(SentEmail.Status.SENT, when=datetime(2026, 11, 1, 12, tzinfo=UTC))
    b = log_row(SentEmail.Status.FAILED, last_error="SMTPRecipientsRefused: 550 no such user")
    c = log_row(
        SentEmail.Status.SUPPRESSED,
        kind="test_session_reminder",
        when=datetime(2026, 11, 20, 12, tzinfo=UTC),
    )

    def shown(**params):
        page = client.get(OUTBOX, params).context["page"]
        return {row.pk for row in page}

    assert shown() == {a.pk, b.pk, c.pk}
    assert shown(kind="test_session_reminder") == {c.pk}
    assert shown(status="failed") == {b.pk}
    assert shown(status="nonsense") == {a.pk, b.pk, c.pk}
    assert shown(since="2026-11-15") == {b.pk, c.pk}
    assert shown(until="2026-11-15") == {a.pk}
    assert shown(since="2026-11-15", until="2026-11-21", kind="test_session_reminder") == {c.pk}
    assert shown(since="not-a-date") == {a.pk, b.pk, c.pk}


def test_a_bad_filter_is_reported_next_to_its_field_and_filters_nothing(client):
    client.force_login(CommitteeFactory())
    a = log_row(SentEmail.Status.SENT, when=datetime(2026, 11, 1, 12, tzinfo=UTC))
    b = log_row(SentEmail.Status.FAILED, when=datetime(2026, 11, 20, 12, tzinfo=UTC))

    response = client.get(OUTBOX, {"since": "next tuesday", "status": "failed"})
    assert {row.pk for row in response.context["page"]} == {b.pk}  # the good filter applies
    html = response.content.decode()
    assert 'id="id_since-errors"' in html and "Enter a date like 2026-11-30." in html
    assert 'aria-describedby="id_since-errors"' in html and 'aria-invalid="true"' in html

    response = client.get(OUTBOX, {"since": "2026-11-15", "until": "2026-11-01"})
    assert {row.pk for row in response.context["page"]} == {b.pk}
    assert "The end date is before the start date." in response.content.decode()

    response = client.get(OUTBOX, {"kind": "no_such_kind"})
    assert {row.pk for row in response.context["page"]} == {a.pk, b.pk}
    assert "Select a valid choice." in response.content.decode()


def test_the_date_filter_counts_days_in_uk_time(client):
    """23:30 UTC on 1 June is 00:30 BST on 2 June: that email belongs to 2 June."""
    client.force_login(CommitteeFactory())
    late = log_row(when=datetime(2026, 6, 1, 23, 30, tzinfo=UTC))

    def shown(**params):
        return {row.pk for row in client.get(OUTBOX, params).context["page"]}

    assert shown(since="2026-06-02", until="2026-06-02") == {late.pk}
    assert shown(until="2026-06-01") == set()


def test_failures_show_their_error_and_a_resend_button(client):
    client.force_login(CommitteeFactory())
    failed = log_row(SentEmail.Status.FAILED, last_error="SMTPRecipientsRefused: 550 no such user")
    log_row(SentEmail.Status.SENT)
    html = client.get(OUTBOX).content.decode()
    assert "550 no such user" in html
    assert html.count("Resend") == 1
    assert reverse("committee_outbox_resend", args=[failed.pk]) in html


def test_resend_queues_a_failed_email_again_and_sends_it_once(
    client, django_capture_on_commit_callbacks
):
    client.force_login(CommitteeFactory())
    row = log_row(SentEmail.Status.FAILED, attempts=3, last_error="SMTPDataError: 554")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("committee_outbox_resend", args=[row.pk]), follow=True)
    assert "queued again" in response.content.decode()
    row.refresh_from_db()
    assert row.status == SentEmail.Status.SENT and row.attempts == 1
    assert [m.to for m in mail.outbox] == [[row.to_email]]


def test_only_a_failed_email_can_be_resent(client):
    client.force_login(CommitteeFactory())
    row = log_row(SentEmail.Status.SENT)
    response = client.post(reverse("committee_outbox_resend", args=[row.pk]), follow=True)
    assert "Only a failed email" in response.content.decode()
    assert mail.outbox == []
    assert client.post(reverse("committee_outbox_resend", args=[987654])).status_code == 404
    assert client.get(reverse("committee_outbox_resend", args=[row.pk])).status_code == 405


def test_the_outbox_costs_the_same_queries_for_1_and_20_emails(client):
    client.force_login(CommitteeFactory())
    client.get(OUTBOX)  # warm up session and permission caches

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(OUTBOX).status_code == 200
        return len(ctx.captured_queries)

    log_row(SentEmail.Status.FAILED, last_error="boom")
    one = count()
    for n in range(19):
        log_row(SentEmail.Status.FAILED if n % 2 else SentEmail.Status.SENT)
    assert count() == one


def test_what_an_email_is_about_is_named_without_compiling_once_warm(orm_compiles):  # noqa: F811
    """The outbox is shown again after every booking at the start of term (a confirmation is a
    new row): naming what its emails are about runs prepared reads, compiled once per process."""
    from meded.notifications.selectors import object_titles
    from tests.factories.sessions import BookingFactory
    from tests.factories.tutors import ApplicationFactory

    booking, application = BookingFactory(), ApplicationFactory()
    keys = [
        f"sessions_app.booking:{booking.pk}",
        f"tutors.application:{application.pk}",
        "sessions_app.booking:999999",
    ]
    object_titles(keys)  # the first visit in this process compiles
    orm_compiles.clear()
    titles = object_titles(keys)
    assert titles == {
        keys[0]: booking.session.title,
        keys[1]: f"Tutor application to {application.round.name}",
        keys[2]: "(no longer exists)",
    }
    assert orm_compiles == []
