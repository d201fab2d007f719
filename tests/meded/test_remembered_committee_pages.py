"""The committee's home, outbox and curriculum, and the new-programme form, are remembered
(meded.remember): a change shows on the very next visit, each committee member sees their own
counts, members without the role never get the pages, and a second visit costs the same
queries at two data sizes."""

import pytest
from django.urls import reverse

from tests.factories import CommitteeFactory, TopicFactory, TutorFactory, UserFactory
from tests.factories.tutors import ApplicationFactory, RecruitmentRoundFactory
from tests.support.remembering import one_minute, second_visit  # noqa: F401 (a fixture)
from tutors.recruitment.services.recruitment import add_default_rubric
from tutors.recruitment.services.reviewing import score_application

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]

PAGES = [
    "committee_dashboard",
    "committee_outbox",
    "committee_curriculum",
    "sessions_app:programme_new",
]


def main(html: str) -> str:
    return html.split("<main", 1)[-1]


def a_round(applications: int):
    round = RecruitmentRoundFactory(name="Autumn tutors")
    add_default_rubric(round)
    return round, [ApplicationFactory(round=round) for _ in range(applications)]


def review_all(reviewer, app) -> None:
    scores = {c.pk: 4 for c in app.round.criteria.filter(stage="review")}
    score_application(reviewer, app, scores, "")


def test_a_review_shows_on_the_very_next_visit_of_the_home(client):
    _round, apps = a_round(3)
    me = CommitteeFactory()
    client.force_login(me)
    url = reverse("committee_dashboard")
    assert "3 applications you have not reviewed" in client.get(url).content.decode()
    review_all(me, apps[0])
    assert "2 applications you have not reviewed" in client.get(url).content.decode()


def test_each_committee_member_sees_their_own_counts_on_the_home(client):
    _round, apps = a_round(3)
    busy, new = CommitteeFactory(), CommitteeFactory()
    review_all(busy, apps[0])
    review_all(busy, apps[1])
    url = reverse("committee_dashboard")
    client.force_login(busy)
    assert "1 applications you have not reviewed" in client.get(url).content.decode()
    client.force_login(new)
    assert "3 applications you have not reviewed" in client.get(url).content.decode()


def test_a_new_topic_shows_on_the_very_next_visit_of_the_curriculum(client):
    client.force_login(CommitteeFactory())
    url = reverse("committee_curriculum")
    assert "Loop of Henle" not in main(client.get(url).content.decode())
    TopicFactory(title="Loop of Henle")
    assert "Loop of Henle" in main(client.get(url).content.decode())


@pytest.mark.parametrize("name", PAGES)
def test_members_without_the_role_are_refused_after_the_committee_saw_the_page(client, name):
    a_round(1)
    TopicFactory(title="Loop of Henle")
    client.force_login(CommitteeFactory())
    assert client.get(reverse(name)).status_code == 200
    for member in (TutorFactory(), UserFactory()):
        client.force_login(member)
        response = client.get(reverse(name))
        assert response.status_code == 403
        body = main(response.content.decode())
        assert "Autumn tutors" not in body and "Loop of Henle" not in body


@pytest.mark.usefixtures("one_minute")
@pytest.mark.parametrize("name", PAGES)
def test_a_second_visit_costs_the_same_queries_at_two_data_sizes(client, name):
    client.force_login(CommitteeFactory())
    counts = []
    round, _apps = a_round(1)
    for size in (1, 20):
        ApplicationFactory.create_batch(size, round=round)
        TopicFactory.create_batch(size)
        queries, _html = second_visit(client, reverse(name))
        counts.append(queries)
    assert counts[0] == counts[1]
    assert counts[1] <= 5
