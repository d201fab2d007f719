"""The apply page's form is remembered per member: a saved draft shows on the next visit, no
member sees another's answers, and a second visit costs the same few queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories.tutors import APPLICATION_FIELDS, RecruitmentRoundFactory
from tutors.recruitment.services.recruitment import save_application

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
URL = reverse("tutors_apply")


def page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_a_draft_saved_shows_on_the_next_visit_and_to_nobody_else(client):
    round = RecruitmentRoundFactory()
    ann, bob = UserFactory(), UserFactory()
    motivation = "Anatomy was my favourite module."
    client.force_login(ann)
    assert motivation not in page(client)
    save_application(ann, round, {**APPLICATION_FIELDS, "motivation": motivation}, {}, submit=False)
    assert motivation in page(client)
    client.force_login(bob)
    assert motivation not in page(client)


def test_a_second_visit_costs_the_same_few_queries(client):
    RecruitmentRoundFactory()
    client.force_login(UserFactory())
    page(client)
    with CaptureQueriesContext(connection) as ctx:
        page(client)
    assert len(ctx.captured_queries) <= 5
