"""The tutor roster says who taught what, how often and when, per round and across rounds."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CommitteeFactory, UserFactory
from tests.factories.allocation import OfferingFactory
from tests.factories.sessions import TeachingSessionFactory
from tests.factories.tutors import ApplicationFactory, RecruitmentRoundFactory
from tutors.models import Application

pytestmark = pytest.mark.django_db
A = Application.Status


def test_the_roster_counts_sessions_taught_from_the_rounds_topics(client):
    round, earlier = RecruitmentRoundFactory(), RecruitmentRoundFactory()
    tutor = UserFactory(full_name="Tia Tutor")
    for r in (round, earlier):
        ApplicationFactory(round=r, applicant=tutor, status=A.ACCEPTED)
    offering = OfferingFactory(round=round)
    now = timezone.now()
    last = now - timedelta(days=2)
    for starts, status in (
        (now - timedelta(days=9), "published"),
        (last, "published"),
        (now - timedelta(days=5), "cancelled"),
        (now + timedelta(days=5), "published"),  # not taught yet
    ):
        TeachingSessionFactory(offering=offering, starts_at=starts, status=status, tutors=[tutor])
    TeachingSessionFactory(offering=OfferingFactory(round=earlier), starts_at=last, tutors=[tutor])
    TeachingSessionFactory(offering=offering, starts_at=last, tutors=[UserFactory()])
    client.force_login(CommitteeFactory())
    body = client.get(reverse("tutors_committee_roster_all") + "?format=csv").content.decode()
    rows = {(r["round"], r["name"]): r for r in csv.DictReader(io.StringIO(body))}
    this = rows[(round.name, "Tia Tutor")]
    assert this["sessions_taught"] == "2"
    assert this["last_taught"] == timezone.localdate(last).isoformat()
    assert this["rounds_as_tutor"] == "2"
    assert rows[(earlier.name, "Tia Tutor")]["sessions_taught"] == "1"
    html = client.get(reverse("tutors_committee_roster", args=[round.pk])).content.decode()
    assert "Sessions taught" in html and "Last taught" in html
