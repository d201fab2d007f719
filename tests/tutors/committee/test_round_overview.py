"""The round overview (its timeline), the shared stage navigation and review progress."""

import pytest
from django.urls import reverse

from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.tutors import ApplicationFactory, RecruitmentRoundFactory
from tutors.models import RecruitmentRound
from tutors.recruitment.services.recruitment import add_default_rubric
from tutors.recruitment.services.reviewing import score_application

pytestmark = pytest.mark.django_db
STAGES = [
    "Applications",
    "Reviews",
    "Interviews",
    "Decisions",
    "Offerings",
    "Rankings",
    "Allocation",
    "Teaching dates",
    "Topic swaps",
    "Sessions",
]


@pytest.fixture
def round_with_apps():
    round = RecruitmentRoundFactory()
    add_default_rubric(round)
    apps = [ApplicationFactory(round=round) for _ in range(3)]
    return round, apps


@pytest.mark.parametrize(
    "who,status", [(None, 302), (UserFactory, 403), (TutorFactory, 403), (CommitteeFactory, 200)]
)
def test_overview_permissions(client, round_with_apps, who, status):
    round, _ = round_with_apps
    if who:
        client.force_login(who())
    assert client.get(reverse("tutors_committee_round", args=[round.pk])).status_code == status


def test_overview_lays_out_every_stage_in_order_with_links(client, round_with_apps):
    round, _ = round_with_apps
    client.force_login(CommitteeFactory())
    response = client.get(reverse("tutors_committee_round", args=[round.pk]))
    names = [s.name for s in response.context["timeline"]]
    assert names == STAGES
    body = response.content.decode()
    for name in ("offerings", "rankings", "allocation"):
        assert f"/committee/rounds/{round.pk}/{name}/" in body
    stages = {s.key: s for s in response.context["timeline"]}
    assert stages["applications"].state == "now" and stages["allocation"].state == "later"
    assert "3 applications submitted" in stages["applications"].summary


@pytest.mark.parametrize("name", ["tutors_offerings", "tutors_round_rankings", "tutors_allocation"])
def test_every_round_page_carries_the_same_stage_navigation(client, round_with_apps, name):
    round, _ = round_with_apps
    client.force_login(CommitteeFactory())
    body = client.get(reverse(name, args=[round.pk])).content.decode()
    assert f'aria-label="Stages of {round.name}"' in body
    assert 'aria-current="page"' in body
    for url in ("applications", "slots", "offerings", "rankings", "allocation", "roster"):
        assert f"/committee/rounds/{round.pk}/{url}/" in body


def test_review_progress_agrees_across_pages_and_next_previous_walk_the_list(
    client, round_with_apps
):
    round, apps = round_with_apps
    member = CommitteeFactory()
    ApplicationFactory(round=round, applicant=member)  # their own: never counted for them
    ApplicationFactory(round=round, status="withdrawn")  # nothing to review
    score_application(member, apps[0], {c.pk: 3 for c in round.criteria.filter(stage="review")}, "")
    client.force_login(member)
    listing = client.get(reverse("tutors_committee_applications", args=[round.pk]))
    assert "You have reviewed 1 of 3 applications" in listing.content.decode()
    home = client.get("/committee/").content.decode()
    assert "2 applications you have not reviewed" in home and "1 of 3 reviewed" in home
    todo = client.get(
        reverse("tutors_committee_applications", args=[round.pk]) + "?scored_by_me=no"
    )
    todo_ids = [a.pk for a in todo.context["page"].object_list]
    assert len(todo_ids) == 2
    first = client.get(
        reverse("tutors_committee_application", args=[round.pk, todo_ids[0]]) + "?scored_by_me=no"
    )
    assert first.context["next_pk"] == todo_ids[1] and first.context["prev_pk"] is None
    assert "Application 1 of 2 in this list" in first.content.decode()
    assert "?scored_by_me=no" in first.content.decode()  # the list's filters come along


def test_a_new_round_is_blind_by_default():
    field = RecruitmentRound._meta.get_field("blind_review")
    assert field.default is True
