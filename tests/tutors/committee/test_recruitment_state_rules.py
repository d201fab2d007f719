"""Recruitment rules in the services: evidence to accept, release after close, conflict of
interest (also in blind mode), interview slots inside the round's interview dates."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.core import CommitteeFactory, UserFactory
from tests.factories.tutors import (
    ApplicationFactory,
    RecruitmentRoundFactory,
    applications_closed,
)
from tutors.models import Application, Review
from tutors.recruitment.services import RecruitmentError
from tutors.recruitment.services.decisions import record_decisions, release_decisions
from tutors.recruitment.services.interviews import create_slot
from tutors.recruitment.services.recruitment import add_default_rubric
from tutors.recruitment.services.reviewing import score_application, score_interview

pytestmark = pytest.mark.django_db
A = Application.Status


def _scores(round, stage="review"):
    return {c.pk: 4 for c in round.criteria.filter(stage=stage)}


def test_accepting_needs_a_score_or_an_interview_unless_a_reason_is_given():
    round = applications_closed(state="interviewing")
    add_default_rubric(round)
    chair = CommitteeFactory()
    bare, scored = ApplicationFactory(round=round), ApplicationFactory(round=round)
    with pytest.raises(RecruitmentError, match="no score and no interview") as exc:
        record_decisions(chair, [bare], "accept")
    assert exc.value.field == "reason"
    bare.refresh_from_db()
    assert bare.decision == ""
    score_application(CommitteeFactory(), scored, _scores(round), "")
    assert record_decisions(chair, [scored], "accept") == 1
    assert record_decisions(chair, [bare], "accept", reason="Ran our OSCE club") == 1
    bare.refresh_from_db()
    assert bare.decision_reason == "Ran our OSCE club"
    # Rejecting needs no evidence.
    assert record_decisions(chair, [ApplicationFactory(round=round)], "reject") == 1


def test_decisions_are_released_only_after_applications_close():
    round = RecruitmentRoundFactory(state="applications_open")  # closes in a week
    app = ApplicationFactory(round=round)
    record_decisions(CommitteeFactory(), [app], "reject")
    with pytest.raises(RecruitmentError, match="Applications are open until"):
        release_decisions(None, round)
    app.refresh_from_db()
    assert app.status == A.SUBMITTED and app.decision_released_at is None
    round.applications_close = timezone.now() - timedelta(minutes=1)
    round.save()
    assert release_decisions(None, round) == 1


def test_nobody_reviews_scores_or_decides_their_own_application():
    round = applications_closed(state="interviewing")
    add_default_rubric(round)
    member = CommitteeFactory()
    own = ApplicationFactory(round=round, applicant=member, status=A.INTERVIEW_BOOKED)
    with pytest.raises(RecruitmentError, match="your own application"):
        score_application(member, own, _scores(round), "")
    with pytest.raises(RecruitmentError, match="your own application"):
        score_interview(member, own, _scores(round, "interview"), "accept", "")
    with pytest.raises(RecruitmentError, match="your own application"):
        record_decisions(member, [own], "accept", reason="I am great")
    own.refresh_from_db()
    assert own.decision == "" and not own.reviews.exists()


def test_the_attack_in_blind_mode_scoring_ones_own_reference_is_refused(client):
    """Blind review hides names, so a member cannot tell which reference is theirs; the rule
    holds anyway: their own application is not in their list and a forged POST is refused."""
    round = applications_closed(state="interviewing", blind_review=True)
    add_default_rubric(round)
    member = CommitteeFactory()
    own = ApplicationFactory(round=round, applicant=member)
    other = ApplicationFactory(round=round, applicant=UserFactory())
    client.force_login(member)
    listing = client.get(reverse("tutors_committee_applications", args=[round.pk]))
    shown = [a.pk for a in listing.context["page"].object_list]
    assert shown == [other.pk]
    detail = reverse("tutors_committee_application", args=[round.pk, own.pk])
    post = {"action": "review", **{f"review-c_{k}": "5" for k in _scores(round)}}
    response = client.post(detail, post, follow=True)
    assert "your own application" in response.content.decode()
    assert not Review.objects.filter(application=own).exists()
    decide = {"action": "decision", "decision-decision": "accept", "decision-reason": "x"}
    client.post(detail, decide)
    bulk = {"action": "decide", "decision": "accept", "ids": [own.pk], "reason": "x"}
    client.post(reverse("tutors_committee_applications", args=[round.pk]), bulk)
    own.refresh_from_db()
    assert own.decision == ""


def test_interview_slots_lie_inside_the_interview_dates_and_online_ones_have_a_link():
    round = applications_closed(state="interviewing")
    chair = CommitteeFactory()
    early = round.interviews_open - timedelta(hours=1)
    late = round.interviews_close - timedelta(minutes=10)
    with pytest.raises(RecruitmentError, match="Interviews run from") as exc:
        create_slot(chair, round, starts_at=early, duration_minutes=20, location="R1")
    assert exc.value.field == "starts_at"
    with pytest.raises(RecruitmentError, match="Interviews run from"):
        create_slot(chair, round, starts_at=late, duration_minutes=20, location="R1")
    inside = round.interviews_open + timedelta(hours=2)
    with pytest.raises(RecruitmentError, match="video link"):
        create_slot(chair, round, starts_at=inside, duration_minutes=20)
    slot = create_slot(
        chair, round, starts_at=inside, duration_minutes=20, online_url="https://meet.example/x"
    )
    assert slot.where == "Online"
    assert round.interview_slots.count() == 1
