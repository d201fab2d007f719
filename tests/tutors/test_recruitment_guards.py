"""Every move of a round's life cycle and the guard that refuses it until the round is ready."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories.allocation import OfferingFactory
from tests.factories.tutors import ApplicationFactory, RecruitmentRoundFactory
from tutors.models import AllocationRun, Application, RoundState
from tutors.recruitment.services import RecruitmentError
from tutors.recruitment.services.recruitment import TRANSITIONS, add_default_rubric, change_state

pytestmark = pytest.mark.django_db
S = RoundState
A = Application.Status


def refused(round, target, match):
    with pytest.raises(RecruitmentError, match=match):
        change_state(None, round, target)
    round.refresh_from_db()
    return round.state


@pytest.mark.parametrize("state", S.values)
def test_a_round_moves_only_along_its_life_cycle(state):
    for target in S.values:
        if target in TRANSITIONS[state] or target == state:
            continue
        round = RecruitmentRoundFactory(state=state, term=f"{state}-{target}")
        assert refused(round, target, "cannot move") == state


def test_an_unknown_state_is_a_clear_refusal_not_a_crash():
    round = RecruitmentRoundFactory(state=S.DRAFT)
    assert refused(round, "bogus", "cannot move to “bogus”") == S.DRAFT


def test_opening_needs_a_review_rubric():
    round = RecruitmentRoundFactory(state=S.DRAFT)
    assert refused(round, S.APPLICATIONS_OPEN, "review rubric") == S.DRAFT
    add_default_rubric(round)
    assert change_state(None, round, S.APPLICATIONS_OPEN).state == S.APPLICATIONS_OPEN


def test_a_round_whose_application_window_has_ended_cannot_open():
    now = timezone.now()
    round = RecruitmentRoundFactory(
        state=S.DRAFT,
        applications_open=now - timedelta(days=10),
        applications_close=now - timedelta(minutes=1),
    )
    add_default_rubric(round)
    assert refused(round, S.APPLICATIONS_OPEN, "window has already ended") == S.DRAFT


def test_reopening_is_refused_while_another_round_of_the_term_takes_applications():
    RecruitmentRoundFactory(term="2026/27 T1")
    interviewing = RecruitmentRoundFactory(term="2026/27 T1", state=S.INTERVIEWING)
    assert refused(interviewing, S.APPLICATIONS_OPEN, "already taking") == S.INTERVIEWING
    other_term = RecruitmentRoundFactory(term="2026/27 T2", state=S.INTERVIEWING)
    assert change_state(None, other_term, S.APPLICATIONS_OPEN).state == S.APPLICATIONS_OPEN


def test_back_to_draft_only_while_nobody_has_submitted():
    round = RecruitmentRoundFactory()
    ApplicationFactory(round=round, status=A.DRAFT, submitted_at=None)
    assert change_state(None, round, S.DRAFT).state == S.DRAFT
    add_default_rubric(round)
    change_state(None, round, S.APPLICATIONS_OPEN)
    ApplicationFactory(round=round)
    assert refused(round, S.DRAFT, "cannot go back to draft") == S.APPLICATIONS_OPEN


def test_interviewing_may_start_from_an_open_round():
    round = RecruitmentRoundFactory()
    assert change_state(None, round, S.INTERVIEWING).state == S.INTERVIEWING


@pytest.mark.parametrize("undecided", [A.SUBMITTED, A.SHORTLISTED, A.INTERVIEW_BOOKED])
def test_ranking_waits_for_every_decision_and_one_accepted_tutor(undecided):
    round = RecruitmentRoundFactory(state=S.INTERVIEWING)
    ApplicationFactory(round=round, status=A.ACCEPTED)
    pending = ApplicationFactory(round=round, status=undecided)
    assert refused(round, S.RANKING, "1 application") == S.INTERVIEWING
    pending.status = A.REJECTED
    pending.save()
    assert change_state(None, round, S.RANKING).state == S.RANKING


def test_ranking_needs_an_accepted_tutor():
    round = RecruitmentRoundFactory(state=S.INTERVIEWING)
    ApplicationFactory(round=round, status=A.WAITING_LIST)
    assert refused(round, S.RANKING, "No tutor") == S.INTERVIEWING


def test_allocation_needs_topic_offerings():
    round = RecruitmentRoundFactory(state=S.RANKING)
    ApplicationFactory(round=round, status=A.ACCEPTED)
    assert refused(round, S.ALLOCATION, "topic offerings") == S.RANKING
    OfferingFactory(round=round)
    assert change_state(None, round, S.ALLOCATION).state == S.ALLOCATION
    assert change_state(None, round, S.RANKING).state == S.RANKING  # ranking may reopen


def test_publishing_by_hand_needs_a_published_allocation_run():
    round = RecruitmentRoundFactory(state=S.ALLOCATION)
    assert refused(round, S.PUBLISHED, "Publish an allocation run first") == S.ALLOCATION
    AllocationRun.objects.create(
        round=round,
        objective="greedy",
        seed=1,
        inputs={},
        result={},
        statistics={},
        is_published=True,
    )
    assert change_state(None, round, S.PUBLISHED).state == S.PUBLISHED
    assert change_state(None, round, S.CLOSED).state == S.CLOSED
    assert TRANSITIONS[S.CLOSED] == ()
