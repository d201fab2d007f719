"""/mentoring/ is kept per member by remember(): an offer made shows on the next request, to
that member only."""

import pytest

from tests.factories.core import CommitteeFactory, UserFactory
from tutors.mentoring.models import SchemeKind
from tutors.mentoring.services import create_scheme, offer_to_mentor, withdraw

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]


def page(client, user):
    client.force_login(user)
    response = client.get("/mentoring/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_offer_shows_on_the_next_request_to_the_mentor_only(client):
    mentor, other = UserFactory(year_of_study="5"), UserFactory(year_of_study="5")
    assert "No scheme is taking sign-ups" in page(client, mentor)
    scheme = create_scheme(CommitteeFactory(), "Mentoring 2026/27", SchemeKind.MENTORING)
    assert "Mentoring 2026/27" in page(client, mentor)
    offer_to_mentor(mentor, scheme, 2, ["exams"])
    assert "You offered to take 2" in page(client, mentor)
    assert "You offered" not in page(client, other)
    withdraw(mentor, scheme)
    assert "You offered" not in page(client, mentor)
