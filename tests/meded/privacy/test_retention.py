"""Retention: what the privacy notice says is kept only for a time is removed when the time is
up (not a day before), by `manage.py apply_retention` and by the periodic work; the notice is
generated from the same settings."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from meded.notifications.models import SentEmail
from meded.periodic import run_periodic_tasks
from tests.factories.core import UserFactory
from tests.factories.tutors import ApplicationFactory
from tutors.recruitment.models import Answer, Decision, Question

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _cv(decision: str, released: datetime) -> Answer:
    application = ApplicationFactory(decision=decision, decision_released_at=released)
    question = Question.objects.create(round=application.round, kind="file", label="CV")
    answer = Answer.objects.create(application=application, question=question, file_name="cv.pdf")
    answer.file.save("cv.pdf", ContentFile(b"%PDF-1.4 a CV"))
    return answer


def _run(django_capture_on_commit_callbacks, at: datetime) -> str:
    out = StringIO()
    with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    "released",
    [
        datetime(2026, 3, 28, 12, 0, tzinfo=LONDON),  # GMT, the day before the clocks go forward
        datetime(2026, 3, 30, 12, 0, tzinfo=LONDON),  # BST
        datetime(2026, 10, 24, 12, 0, tzinfo=LONDON),  # BST, the day before they go back
        datetime(2026, 10, 26, 12, 0, tzinfo=LONDON),  # GMT
    ],
)
def test_an_unsuccessful_applicants_cv_goes_after_the_set_months(
    settings, django_capture_on_commit_callbacks, released
):
    settings.MEDED_RETENTION_UNSUCCESSFUL_MONTHS = 6
    rejected = _cv(Decision.REJECT, released)
    accepted = _cv(Decision.ACCEPT, released)
    name = rejected.file.name
    six_months = released + relativedelta(months=6)  # the same wall-clock time, London
    _run(django_capture_on_commit_callbacks, six_months.replace(hour=11, minute=59))
    assert Answer.objects.get(pk=rejected.pk).file.name == name  # a minute early: kept
    assert default_storage.exists(name)
    out = _run(django_capture_on_commit_callbacks, six_months.replace(hour=12, minute=1))
    assert "removed: 1" in out
    rejected.refresh_from_db()
    assert rejected.file.name == "" and rejected.file_name == ""
    assert not default_storage.exists(name)
    assert Answer.objects.get(pk=accepted.pk).file  # a tutor's application is not touched
    assert rejected.application.decision == Decision.REJECT  # the decision stays


def test_old_email_letters_go_and_the_sent_line_stays(settings):
    settings.MEDED_RETENTION_EMAIL_MONTHS = 24
    member = UserFactory()
    with time_machine.travel(datetime(2024, 1, 10, 9, 0, tzinfo=LONDON), tick=False):
        old = SentEmail.objects.create(
            recipient=member,
            to_email=member.email,
            kind="booking_confirmed",
            object_key="x:1",
            status=SentEmail.Status.SENT,
            subject="Your place",
            body_text="Dear member",
        )
        SentEmail.objects.filter(pk=old.pk).update(sent_at=old.created_at)
    with time_machine.travel(datetime(2026, 1, 9, 9, 0, tzinfo=LONDON), tick=False):
        run_periodic_tasks()
        assert SentEmail.objects.get(pk=old.pk).body_text == "Dear member"
    with time_machine.travel(datetime(2026, 1, 11, 9, 0, tzinfo=LONDON), tick=False):
        counts = run_periodic_tasks()
    assert counts["meded.retention"] == 1
    old.refresh_from_db()
    assert (old.subject, old.body_text, old.kind, old.object_key) == (
        "",
        "",
        "booking_confirmed",
        "x:1",
    )


def test_the_privacy_notice_states_the_settings_and_is_linked(client, settings):
    settings.MEDED_RETENTION_UNSUCCESSFUL_MONTHS = 9
    settings.MEDED_RETENTION_EMAIL_MONTHS = 18
    page = client.get(reverse("privacy"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "9 months" in text and "18 months" in text
    assert reverse("privacy") in client.get(reverse("account_signup")).content.decode()
    assert reverse("privacy") in client.get(reverse("home")).content.decode()  # the footer
