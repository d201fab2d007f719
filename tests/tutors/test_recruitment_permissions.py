"""Every committee action (POST) is refused to anonymous visitors, students and tutors and
changes nothing; the committee's own POSTs go through. Applicants act only on their own."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.factories import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.tutors import (
    ApplicationFactory,
    InterviewSlotFactory,
    applications_closed,
)
from tutors.models import (
    Application,
    InterviewBooking,
    InterviewSlot,
    Question,
    RecruitmentRound,
    Review,
    RubricCriterion,
)
from tutors.recruitment.services.recruitment import add_default_rubric

pytestmark = pytest.mark.django_db
A = Application.Status


@pytest.fixture
def world():
    round = applications_closed(state="interviewing")
    add_default_rubric(round)
    app = ApplicationFactory(round=round)
    shortlisted = ApplicationFactory(round=round, status=A.SHORTLISTED)
    slot = InterviewSlotFactory(round=round)
    return round, app, shortlisted, slot


def committee_posts(round, app, shortlisted, slot):
    """(url, data) for each committee action."""
    review = {
        f"review-c_{c.pk}": "4" for c in round.criteria.filter(stage=RubricCriterion.Stage.REVIEW)
    }
    detail = reverse("tutors_committee_application", args=[round.pk, app.pk])
    start = (slot.starts_at + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    return [
        (reverse("tutors_committee_round_new"), {"name": "Sneaky", "term": "X"}),
        (reverse("tutors_committee_round_edit", args=[round.pk]), {"name": "Renamed"}),
        (reverse("tutors_committee_round_state", args=[round.pk]), {"state": "ranking"}),
        (
            reverse("tutors_committee_round_setup", args=[round.pk]),
            {"what": "question", "label": "Sneaky question", "kind": "short_text", "order": 0},
        ),
        (
            reverse("tutors_committee_round_setup", args=[round.pk]),
            {"what": "delete_criterion", "id": round.criteria.first().pk},
        ),
        (
            reverse("tutors_committee_applications", args=[round.pk]),
            {"action": "shortlist", "ids": [app.pk]},
        ),
        (
            reverse("tutors_committee_applications", args=[round.pk]),
            {"action": "decide", "decision": "accept", "ids": [app.pk], "reason": "Known"},
        ),
        (detail, {"action": "review", **review}),
        (detail, {"action": "shortlist"}),
        (detail, {"action": "decision", "decision-decision": "accept", "decision-reason": "Known"}),
        (
            reverse("tutors_committee_application", args=[round.pk, shortlisted.pk]),
            {"action": "assign", "slot": slot.pk},
        ),
        (
            reverse("tutors_committee_slots", args=[round.pk]),
            {"starts_at": start, "duration_minutes": 20, "capacity": 1, "location": "Room 9"},
        ),
        (reverse("tutors_committee_slots", args=[round.pk]), {"delete": slot.pk}),
        (reverse("tutors_committee_release", args=[round.pk]), {}),
    ]


def snapshot():
    return (
        list(RecruitmentRound.objects.values_list("pk", "name", "state")),
        Question.objects.count(),
        RubricCriterion.objects.count(),
        list(Application.objects.order_by("pk").values_list("status", "decision")),
        Review.objects.count(),
        InterviewSlot.objects.count(),
        InterviewBooking.objects.count(),
    )


@pytest.mark.parametrize("role", ["anonymous", "student", "tutor"])
def test_committee_actions_are_refused_to_everyone_else_and_change_nothing(client, world, role):
    if role != "anonymous":
        client.force_login(UserFactory() if role == "student" else TutorFactory())
    before = snapshot()
    for url, data in committee_posts(*world):
        response = client.post(url, data)
        expected = 302 if role == "anonymous" else 403
        assert response.status_code == expected, url
        if role == "anonymous":
            assert response["Location"].startswith(reverse("account_login")), url
    assert snapshot() == before


def test_the_committee_can_take_each_action(client, world):
    round, app, shortlisted, _slot = world
    client.force_login(CommitteeFactory())
    posts = dict(enumerate(committee_posts(*world)))
    for i in (3, 7, 8, 10, 11):  # add question, score, shortlist, assign, publish slot
        url, data = posts[i]
        assert client.post(url, data).status_code == 302, url
    app.refresh_from_db()
    shortlisted.refresh_from_db()
    assert round.questions.filter(label="Sneaky question").exists()
    assert app.reviews.count() == 1 and app.status == A.SHORTLISTED
    assert shortlisted.status == A.INTERVIEW_BOOKED
    assert round.interview_slots.count() == 2


@pytest.mark.parametrize("role", ["student", "tutor", "committee"])
def test_nobody_acts_on_someone_elses_application(client, world, role):
    _, app, shortlisted, slot = world
    user = {"student": UserFactory, "tutor": TutorFactory, "committee": CommitteeFactory}[role]()
    client.force_login(user)
    before = snapshot()
    interview = reverse("tutors_interview", args=[shortlisted.pk])
    assert client.post(interview, {"slot": slot.pk}).status_code == 404
    assert client.post(interview, {"cancel": "1"}).status_code == 404
    assert client.post(reverse("tutors_withdraw", args=[app.pk])).status_code == 404
    assert snapshot() == before


def test_anonymous_cannot_apply_book_or_withdraw(client, world):
    _, app, shortlisted, slot = world
    before = snapshot()
    for url, data in (
        (reverse("tutors_apply"), {"submit": "1", "motivation": "x"}),
        (reverse("tutors_interview", args=[shortlisted.pk]), {"slot": slot.pk}),
        (reverse("tutors_withdraw", args=[app.pk]), {}),
    ):
        response = client.post(url, data)
        assert response.status_code == 302 and "login" in response["Location"]
    assert snapshot() == before
