"""/tutors/ is kept per member by remember(): an application shows on the next request, to the
applicant only, and a round that closes stops being offered within the minute."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories.core import UserFactory
from tests.factories.tutors import ApplicationFactory, RecruitmentRoundFactory

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]


def page(client, user):
    client.force_login(user)
    response = client.get("/tutors/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_application_shows_on_the_next_request_to_the_applicant_only(client):
    round = RecruitmentRoundFactory(name="Spring tutors")
    ann, bob = UserFactory(), UserFactory()
    assert "You have not applied to teach yet" in page(client, ann)
    ApplicationFactory(round=round, applicant=ann)
    html = page(client, ann)
    assert "You have not applied to teach yet" not in html and "Withdraw application" in html
    assert "You have not applied to teach yet" in page(client, bob)


def test_a_closed_round_is_no_longer_offered(client):
    round = RecruitmentRoundFactory(name="Spring tutors")
    ann = UserFactory()
    assert "Apply to teach" in page(client, ann)
    with time_machine.travel(round.applications_close + timedelta(minutes=1), tick=False):
        assert timezone.now() > round.applications_close
        assert "Apply to teach" not in page(client, ann)
