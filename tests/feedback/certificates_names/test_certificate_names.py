"""The rename rule: a certificate carries the name it was issued to, and a name changed shortly
before issue waits for the committee (or for MEDED_CERTIFICATE_NAME_HOLD_DAYS)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from feedback.services import FeedbackError
from feedback.services.certificates import issue_attendance_certificate
from meded.models import User
from tests.factories.core import PASSWORD, CommitteeFactory, UserFactory
from tests.factories.feedback import attend, past_session
from tests.factories.sessions import SeriesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def attended(db):
    series = SeriesFactory(title="Year 3 Cardiology")
    student = UserFactory(full_name="Sam Student")
    session, _ = past_session(series=series, days_ago=3)
    attend(session, student=student)
    return student, series


def _rename(client, member, name):
    client.login(email=member.email, password=PASSWORD)
    client.post(reverse("profile"), {"full_name": name, "year_of_study": member.year_of_study})
    return User.objects.get(pk=member.pk)


def test_a_name_changed_just_before_issue_waits(client, attended):
    student, series = attended
    student = _rename(client, student, "Dr Famous Person")
    with pytest.raises(FeedbackError, match="committee confirms it"):
        issue_attendance_certificate(student, series)


def test_after_the_hold_the_new_name_is_used(client, attended, settings):
    student, series = attended
    student = _rename(client, student, "Samira Student")
    later = timezone.now() + timedelta(days=settings.MEDED_CERTIFICATE_NAME_HOLD_DAYS + 1)
    with time_machine.travel(later, tick=False):
        assert issue_attendance_certificate(student, series).holder_name == "Samira Student"


def test_the_committee_confirms_a_new_name(client, attended):
    student, series = attended
    student = _rename(client, student, "Samira Student")
    chair = CommitteeFactory()
    client.login(email=chair.email, password=PASSWORD)
    assert "Samira Student" in client.get(reverse("committee_years")).content.decode()
    client.post(reverse("committee_years"), {"member": student.pk, "confirm": "name"})
    student = User.objects.get(pk=student.pk)
    assert issue_attendance_certificate(student, series).holder_name == "Samira Student"


def test_an_issued_certificate_keeps_its_name_and_shows_when(client, attended):
    student, series = attended
    cert = issue_attendance_certificate(student, series)
    _rename(client, student, "Someone Else")
    client.logout()
    page = client.get(reverse("feedback:verify", args=[cert.code])).content.decode()
    assert "Sam Student" in page and "Someone Else" not in page
    assert f"on {timezone.localtime(cert.issued_at):%-d %B %Y}" in page
