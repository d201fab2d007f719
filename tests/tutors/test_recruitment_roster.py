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


def test_the_roster_rows_print_each_cell_escaped_and_the_round_on_the_all_rounds_page(client):
    """The rows are written in Python (tutors/recruitment/roster_html.py): every cell the
    template printed, escaped as it escaped them."""
    round = RecruitmentRoundFactory(name="Spring <2027>")
    released = timezone.now()
    ApplicationFactory(
        round=round,
        applicant=UserFactory(full_name="Ann <b>Bold</b>", email="ann@example.test"),
        status=A.ACCEPTED,
        decision_released_at=released,
    )
    ApplicationFactory(round=round, applicant=UserFactory(full_name=""), status=A.ACCEPTED)
    client.force_login(CommitteeFactory())
    mine = client.get(reverse("tutors_committee_roster", args=[round.pk])).content.decode()
    every = client.get(reverse("tutors_committee_roster_all")).content.decode()
    day = timezone.localtime(released).strftime("%-d %b %Y")
    assert '<th scope="row">Ann &lt;b&gt;Bold&lt;/b&gt;</th><td>ann@example.test</td>' in mine
    assert f"<td>{day}</td>" in mine and "<b>Bold</b>" not in mine
    assert "<td>Spring &lt;2027&gt;</td>" in every and "<td>Spring &lt;2027&gt;</td>" not in mine
    assert "2 tutors." in mine
