"""Recruitment rules: applying, state guards, shortlisting, decisions and their release."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from meded.models import SentEmail
from meded.roles import is_tutor
from tests.factories import CommitteeFactory, UserFactory
from tests.factories.tutors import (
    APPLICATION_FIELDS,
    ApplicationFactory,
    InterviewSlotFactory,
    RecruitmentRoundFactory,
    applications_closed,
)
from tests.support.mailings import confirm_and_release
from tests.support.notifications import send_queued
from tutors.models import Application, RecruitmentRound, RoundState
from tutors.recruitment.selectors import accepted_tutors
from tutors.recruitment.services import RecruitmentError
from tutors.recruitment.services.decisions import record_decisions, release_decisions
from tutors.recruitment.services.interviews import assign_slot, book_slot, cancel_booking
from tutors.recruitment.services.recruitment import (
    add_default_rubric,
    change_state,
    save_application,
    withdraw_application,
)
from tutors.recruitment.services.reviewing import score_application, shortlist

pytestmark = pytest.mark.django_db
A = Application.Status
FIELDS = APPLICATION_FIELDS


def kinds(user):
    return list(SentEmail.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_member_saves_a_draft_then_submits_once_and_gets_one_receipt():
    round = RecruitmentRoundFactory()
    member = UserFactory(year_of_study="6")
    app = save_application(member, round, FIELDS, {}, submit=False)
    assert app.status == A.DRAFT and kinds(member) == []
    app = save_application(member, round, FIELDS, {}, submit=True)
    app = save_application(member, round, {**FIELDS, "strengths": "Renal"}, {}, submit=True)
    assert app.status == A.SUBMITTED and app.strengths == "Renal"
    assert kinds(member) == ["tutors_application_received"]
    assert Application.objects.filter(applicant=member).count() == 1


def test_a_graduate_may_apply():
    app = save_application(
        UserFactory(year_of_study="grad"), RecruitmentRoundFactory(), FIELDS, {}, submit=True
    )
    assert app.status == A.SUBMITTED


def test_no_applying_or_editing_once_the_window_closed():
    round = RecruitmentRoundFactory(
        applications_open=timezone.now() - timedelta(days=20),
        applications_close=timezone.now() - timedelta(days=1),
    )
    with pytest.raises(RecruitmentError, match="not taking applications"):
        save_application(UserFactory(), round, FIELDS, {}, submit=True)


def test_only_one_round_per_term_takes_applications():
    RecruitmentRoundFactory(term="2026/27 T1")
    second = RecruitmentRoundFactory(term="2026/27 T1", state=RoundState.DRAFT)
    add_default_rubric(second)
    with pytest.raises(RecruitmentError, match="already taking applications"):
        change_state(None, second, RoundState.APPLICATIONS_OPEN)
    second.state = RoundState.APPLICATIONS_OPEN
    with pytest.raises(IntegrityError):
        second.save()


def test_windows_must_be_in_order_in_the_database():
    with pytest.raises(IntegrityError):
        RecruitmentRoundFactory(applications_close=timezone.now() - timedelta(days=30))


def test_state_moves_follow_the_life_cycle():
    round = RecruitmentRoundFactory(state=RoundState.DRAFT)
    with pytest.raises(RecruitmentError, match="rubric"):
        change_state(None, round, RoundState.APPLICATIONS_OPEN)
    add_default_rubric(round)
    change_state(None, round, RoundState.APPLICATIONS_OPEN)
    with pytest.raises(RecruitmentError, match="cannot move"):
        change_state(None, round, RoundState.PUBLISHED)
    ApplicationFactory(round=round)
    with pytest.raises(RecruitmentError, match="back to draft"):
        change_state(None, round, RoundState.DRAFT)


def test_ranking_cannot_open_before_decisions_are_released():
    round = applications_closed(state=RoundState.INTERVIEWING)
    app = ApplicationFactory(round=round)
    with pytest.raises(RecruitmentError, match="need a released decision"):
        change_state(None, round, RoundState.RANKING)
    record_decisions(None, [app], "reject")
    with pytest.raises(RecruitmentError, match="need a released decision"):
        change_state(None, round, RoundState.RANKING)
    release_decisions(None, round)
    with pytest.raises(RecruitmentError, match="No tutor"):
        change_state(None, round, RoundState.RANKING)
    ok = ApplicationFactory(round=round)
    record_decisions(None, [ok], "accept", reason="Taught with us last year")
    release_decisions(None, round)
    assert change_state(None, round, RoundState.RANKING).state == RoundState.RANKING


def test_decisions_are_sent_only_on_release_and_accepting_makes_a_tutor():
    round = applications_closed(state=RoundState.INTERVIEWING)
    yes, no, wait = (ApplicationFactory(round=round) for _ in range(3))
    record_decisions(None, [yes], "accept", message="Welcome!", reason="Known to us")
    record_decisions(None, [no], "reject", feedback_note="More teaching experience.")
    record_decisions(None, [wait], "waiting_list")
    assert SentEmail.objects.filter(kind="tutors_decision").count() == 0
    yes.refresh_from_db()
    assert yes.status == A.SUBMITTED and not is_tutor(yes.applicant)
    mailing = confirm_and_release(None, "tutors.release_decisions", round.pk)
    assert mailing.recipient_count == 3
    for app, status in ((yes, A.ACCEPTED), (no, A.REJECTED), (wait, A.WAITING_LIST)):
        app.refresh_from_db()
        assert app.status == status
        assert kinds(app.applicant) == ["tutors_decision"]
    assert is_tutor(type(yes.applicant).objects.get(pk=yes.applicant_id))
    assert not is_tutor(type(no.applicant).objects.get(pk=no.applicant_id))
    assert list(accepted_tutors(round)) == [yes.applicant]
    body = SentEmail.objects.get(recipient=no.applicant, kind="tutors_decision").body_text
    assert "More teaching experience." in body and "apply again" in body
    with pytest.raises(RecruitmentError, match="no recorded decisions"):
        release_decisions(None, round)
    with pytest.raises(RecruitmentError, match="no recorded decisions"):
        confirm_and_release(None, "tutors.release_decisions", round.pk)


def test_shortlisting_invites_by_email_once():
    round = RecruitmentRoundFactory(state=RoundState.INTERVIEWING)
    app = ApplicationFactory(round=round)
    assert shortlist(None, [app]) == 1
    assert shortlist(None, [app]) == 0
    assert kinds(app.applicant) == ["tutors_interview_invitation"]


def test_booking_respects_capacity_the_24_hour_rule_and_sends_an_ics():
    round = RecruitmentRoundFactory(state=RoundState.INTERVIEWING)
    a, b = (ApplicationFactory(round=round, status=A.SHORTLISTED) for _ in range(2))
    slot = InterviewSlotFactory(round=round, capacity=1)
    book_slot(a.applicant, a, slot)
    with pytest.raises(RecruitmentError, match="just been filled"):
        book_slot(b.applicant, b, slot)
    soon = InterviewSlotFactory(round=round, starts_at=timezone.now() + timedelta(hours=5))
    with pytest.raises(RecruitmentError, match="24 hours"):
        book_slot(b.applicant, b, soon)
    assign_slot(CommitteeFactory(), b, soon)  # the committee may place late
    b.refresh_from_db()
    assert b.status == A.INTERVIEW_BOOKED
    with pytest.raises(RecruitmentError, match="less than 24 hours"):
        cancel_booking(b.applicant, b)
    cancel_booking(a.applicant, a)
    a.refresh_from_db()
    assert a.status == A.SHORTLISTED
    send_queued()
    email = SentEmail.objects.get(recipient=a.applicant, kind="tutors_interview_booked")
    assert "BEGIN:VCALENDAR" in str(email.attachments)


def test_someone_else_cannot_book_or_withdraw_my_application():
    app = ApplicationFactory(status=A.SHORTLISTED)
    other = UserFactory()
    with pytest.raises(RecruitmentError):
        book_slot(other, app, InterviewSlotFactory(round=app.round))
    with pytest.raises(RecruitmentError):
        withdraw_application(other, app)


def test_withdrawing_frees_the_interview_place():
    app = ApplicationFactory(status=A.SHORTLISTED)
    slot = InterviewSlotFactory(round=app.round)
    book_slot(app.applicant, app, slot)
    withdraw_application(app.applicant, app)
    assert slot.bookings.count() == 0


def test_scores_are_weighted_and_every_criterion_is_required():
    round = RecruitmentRoundFactory()
    add_default_rubric(round)
    app = ApplicationFactory(round=round)
    crit = list(round.criteria.filter(stage="review"))  # weights 2, 1, 2, 1
    review = score_application(
        UserFactory(), app, {c.pk: s for c, s in zip(crit, [5, 1, 5, 1], strict=True)}, ""
    )
    assert review.total == pytest.approx((10 + 1 + 10 + 1) / 6, abs=0.01)
    with pytest.raises(RecruitmentError, match="from 1 to 5"):
        score_application(UserFactory(), app, {crit[0].pk: 3}, "")


def test_round_defaults_for_the_ranking_issue():
    round = RecruitmentRoundFactory()
    assert (round.min_rank, round.max_rank, round.max_topics_per_tutor) == (3, 10, 1)
    assert round.review_required_for_resources and round.hide_scores_until_scored
    assert isinstance(round, RecruitmentRound)


def test_an_interviewer_cannot_be_in_two_overlapping_slots():
    from tutors.recruitment.services.interviews import create_slot

    round = applications_closed(state=RoundState.INTERVIEWING)
    chair = CommitteeFactory(full_name="Casey Chair")
    start = timezone.now() + timedelta(days=2)
    create_slot(
        chair, round, starts_at=start, duration_minutes=30, interviewers=[chair], location="R1"
    )
    with pytest.raises(RecruitmentError, match="Already interviewing at that time: Casey"):
        create_slot(
            chair,
            round,
            starts_at=start + timedelta(minutes=15),
            interviewers=[chair],
            location="R1",
        )
    create_slot(
        chair, round, starts_at=start + timedelta(minutes=30), interviewers=[chair], location="R1"
    )


def test_a_waiting_list_place_can_still_be_offered_during_ranking():
    round = applications_closed(state=RoundState.RANKING)
    app = ApplicationFactory(round=round, status=A.WAITING_LIST)
    record_decisions(None, [app], "accept", reason="A place came free")
    release_decisions(None, round)
    app.refresh_from_db()
    assert app.status == A.ACCEPTED
