"""The committee's recruitment and allocation pages are remembered (meded.remember): a change
made through a service shows on the very next visit, no member sees another's page, and a
second visit costs the same few queries whatever the size of the round."""

import pytest
from django.urls import reverse

from tests.factories import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.tutors import (
    ApplicationFactory,
    RecruitmentRoundFactory,
    applications_closed,
)
from tests.support.remembering import one_minute, second_visit  # noqa: F401 (a fixture)
from tutors.recruitment.services.recruitment import add_default_rubric, change_state, save_round
from tutors.recruitment.services.reviewing import score_application

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]

PAGES = [
    ("tutors_committee_round", "round"),
    ("tutors_committee_applications", "round"),
    ("tutors_committee_application", "application"),
    ("tutors_offerings", "round"),
    ("tutors_allocation", "round"),
    ("tutors_round_rankings", "round"),
    ("sessions_app:committee_teaching_slots", "round"),
    ("tutors_committee_roster", "round"),
]


def url_of(name, kind, round, app):
    return reverse(name, args=[round.pk, app.pk] if kind == "application" else [round.pk])


def scores(round, value):
    return {c.pk: value for c in round.criteria.filter(stage="review")}


def a_round(applications: int):
    round = RecruitmentRoundFactory()
    add_default_rubric(round)
    apps = [ApplicationFactory(round=round) for _ in range(applications)]
    return round, apps


def test_a_score_shows_on_the_very_next_visit_of_the_list(client):
    round, apps = a_round(3)
    me = CommitteeFactory()
    client.force_login(me)
    url = reverse("tutors_committee_applications", args=[round.pk])
    assert "You have reviewed 0 of 3 applications" in client.get(url).content.decode()
    score_application(me, apps[0], scores(round, 4), "")
    assert "You have reviewed 1 of 3 applications" in client.get(url).content.decode()


@pytest.mark.parametrize("name,kind", PAGES)
def test_an_edit_of_the_round_shows_on_the_very_next_visit(client, name, kind):
    round, apps = a_round(1)
    me = CommitteeFactory()
    client.force_login(me)
    url = url_of(name, kind, round, apps[0])
    assert client.get(url).status_code == 200
    save_round(me, {"name": "Spring tutors 2027"}, round)
    assert "Spring tutors 2027" in client.get(url).content.decode().split("<main", 1)[-1]


def test_a_change_of_state_shows_on_the_very_next_visit_of_the_round(client):
    round = applications_closed()
    me = CommitteeFactory()
    client.force_login(me)
    url = reverse("tutors_committee_round", args=[round.pk])
    assert "State: Applications open" in client.get(url).content.decode()
    change_state(me, round, "interviewing")
    assert "State: Interviewing" in client.get(url).content.decode()


def test_two_reviewers_never_see_each_others_list(client):
    round, apps = a_round(2)
    first, second = CommitteeFactory(), CommitteeFactory()
    score_application(first, apps[0], scores(round, 4), "")
    url = reverse("tutors_committee_applications", args=[round.pk])
    client.force_login(first)
    assert "You have reviewed 1 of 2" in client.get(url).content.decode()
    client.force_login(second)
    assert "You have reviewed 0 of 2" in client.get(url).content.decode()


@pytest.mark.parametrize("name,kind", PAGES)
def test_a_member_without_the_role_is_refused_after_the_committee_saw_the_page(client, name, kind):
    round, apps = a_round(1)
    url = url_of(name, kind, round, apps[0])
    client.force_login(CommitteeFactory())
    assert client.get(url).status_code == 200
    for member in (TutorFactory(), UserFactory()):
        client.force_login(member)
        response = client.get(url)
        assert response.status_code == 403
        assert round.name not in response.content.decode().split("<main", 1)[-1]


@pytest.mark.usefixtures("one_minute")
@pytest.mark.parametrize("name,kind", PAGES)
def test_a_second_visit_costs_the_same_queries_for_a_small_and_a_large_round(client, name, kind):
    client.force_login(CommitteeFactory())
    counts = []
    for size in (2, 30):
        round, apps = a_round(size)
        queries, _html = second_visit(client, url_of(name, kind, round, apps[0]))
        counts.append(queries)
    assert counts[0] == counts[1]
    assert counts[1] <= 8


def test_the_applications_list_pages_at_25_rows(client):
    round, _apps = a_round(30)
    client.force_login(CommitteeFactory())
    url = reverse("tutors_committee_applications", args=[round.pk])
    html = client.get(url).content.decode()
    rows = html.split("<tbody>")[1].split("</tbody>")[0].count("<tr")
    assert rows == 25
    assert "page=2" in html
