"""A returning applicant starts from what they wrote last time; the interview shows its link."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.factories.tutors import ApplicationFactory, RecruitmentRoundFactory

pytestmark = pytest.mark.django_db


def test_the_form_is_prefilled_from_the_members_earlier_application(client):
    member = UserFactory(year_of_study="4")
    now = timezone.now()
    old = RecruitmentRoundFactory(
        name="Spring round",
        applications_open=now - timedelta(days=200),
        applications_close=now - timedelta(days=180),
    )
    ApplicationFactory(
        round=old, applicant=member, motivation="I loved my own peer tutors.", strengths="Renal"
    )
    RecruitmentRoundFactory(name="Autumn round")
    client.force_login(member)
    html = client.get(reverse("tutors_apply")).content.decode()
    assert "I loved my own peer tutors." in html and 'value="Renal"' in html
    assert "from your application to Spring round" in html
    assert '<option value="4" selected>' in html


def test_a_first_time_applicant_gets_an_empty_form(client):
    RecruitmentRoundFactory()
    client.force_login(UserFactory())
    html = client.get(reverse("tutors_apply")).content.decode()
    assert "from your application to" not in html
