"""Inviting several applicants to interview is a mass email: chosen first (nothing sent, no
status changes), previewed, confirmed and held for the undo window; undo takes the invitations
back; a double-click confirms once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from meded.notifications import mailings
from meded.notifications.mailings import MailingError
from meded.notifications.models import Mailing, SentEmail
from tests.factories.core import CommitteeFactory
from tests.factories.tutors import ApplicationFactory, RecruitmentRoundFactory
from tests.support.mailings import confirm_action
from tutors.models import Application, ApplicationStatus, RoundState
from tutors.recruitment.services import RecruitmentError
from tutors.recruitment.services.reviewing import choose_for_interview, shortlist

pytestmark = pytest.mark.django_db
A = ApplicationStatus
INVITE = "tutors.invite_to_interview"
T0 = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the night the clocks go back (BST -> GMT)


def chosen_round(n: int = 3):
    round = RecruitmentRoundFactory(state=RoundState.INTERVIEWING)
    apps = [ApplicationFactory(round=round) for _ in range(n)]
    assert choose_for_interview(CommitteeFactory(), apps) == n
    return round, apps


def statuses(apps):
    return [Application.objects.get(pk=a.pk).status for a in apps]


@time_machine.travel(T0, tick=False)
def test_choosing_and_previewing_email_nobody_and_change_no_status():
    round, apps = chosen_round()
    shown = mailings.preview(INVITE, round.pk)
    assert shown.count == 3
    assert {letter.user.pk for letter in shown.letters} == {a.applicant_id for a in apps}
    assert "interview" in shown.samples[0][1]["subject"].lower()
    assert statuses(apps) == [A.SUBMITTED] * 3
    assert SentEmail.objects.count() == 0 and Mailing.objects.count() == 0


def test_several_at_once_are_refused_without_the_preview():
    round = RecruitmentRoundFactory(state=RoundState.INTERVIEWING)
    apps = [ApplicationFactory(round=round) for _ in range(2)]
    with pytest.raises(RecruitmentError, match="preview"):
        shortlist(None, apps)
    assert statuses(apps) == [A.SUBMITTED] * 2 and SentEmail.objects.count() == 0


@pytest.mark.parametrize(
    "start", [T0, datetime(2026, 3, 29, 0, 55, tzinfo=UTC)], ids=["oct", "mar"]
)
def test_confirmed_invitations_wait_for_the_window_and_undo_takes_them_back(
    start, django_capture_on_commit_callbacks
):
    chair = CommitteeFactory()
    with time_machine.travel(start, tick=False):
        round, apps = chosen_round()
        mailing = confirm_action(chair, INVITE, round.pk)
        assert statuses(apps) == [A.SHORTLISTED] * 3
        assert mailing.emails.filter(status=SentEmail.Status.HELD).count() == 3
    with time_machine.travel(start + timedelta(minutes=9, seconds=59), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert mailings.release_due() == 0
        mailings.undo(chair, mailing.pk)
    assert statuses(apps) == [A.SUBMITTED] * 3
    assert set(mailing.emails.values_list("status", flat=True)) == {SentEmail.Status.CANCELLED}
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            mailings.release_due()
        assert mail.outbox == []
        # still chosen: confirming again invites them again
        assert confirm_action(chair, INVITE, round.pk).emails.count() == 3


def test_undo_is_refused_once_the_window_ends_and_the_emails_go():
    chair = CommitteeFactory()
    with time_machine.travel(T0, tick=False):
        round, apps = chosen_round(2)
        mailing = confirm_action(chair, INVITE, round.pk)
    with (
        time_machine.travel(mailing.release_at, tick=False),
        pytest.raises(MailingError, match="Too late"),
    ):
        mailings.undo(chair, mailing.pk)
    assert statuses(apps) == [A.SHORTLISTED] * 2


def test_undo_is_refused_when_an_applicant_already_booked():
    chair = CommitteeFactory()
    with time_machine.travel(T0, tick=False):
        round, apps = chosen_round(2)
        mailing = confirm_action(chair, INVITE, round.pk)
        Application.objects.filter(pk=apps[0].pk).update(status=A.INTERVIEW_BOOKED)
        with pytest.raises(MailingError, match="already booked"):
            mailings.undo(chair, mailing.pk)
    assert statuses(apps) == [A.INTERVIEW_BOOKED, A.SHORTLISTED]
    assert Mailing.objects.get().state == Mailing.State.HELD


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_invite_once():
    from tests.support.concurrency import run_together

    round, _ = chosen_round()
    shown = mailings.preview(INVITE, round.pk)
    outcome = run_together(
        [lambda: mailings.confirm(None, INVITE, round.pk, expected=shown.fingerprint)] * 2,
        refused_by=(MailingError, RecruitmentError),
    )
    assert outcome.errors == []
    assert len(outcome.done) == 1 and len(outcome.refused) == 1
    assert Mailing.objects.count() == 1
    assert SentEmail.objects.filter(status=SentEmail.Status.HELD).count() == 3
