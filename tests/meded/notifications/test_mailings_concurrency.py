"""Mass emails under real concurrency (PostgreSQL, threads): a double-click confirms once; an
undo racing the release either takes everything back or is refused, never half of each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from meded.notifications import mailings
from meded.notifications.mailings import MailingError
from meded.notifications.models import Mailing, SentEmail
from tests.factories.tutors import ApplicationFactory, RecruitmentRoundFactory
from tests.support.concurrency import run_together
from tests.support.mailings import confirm_action
from tutors.models import Application, RoundState
from tutors.recruitment.services import RecruitmentError
from tutors.recruitment.services.decisions import record_decisions

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
RELEASE = "tutors.release_decisions"


def decided_round():
    round = RecruitmentRoundFactory(
        state=RoundState.INTERVIEWING, applications_open=timezone.now() - timedelta(days=30)
    )
    apps = [ApplicationFactory(round=round) for _ in range(3)]
    record_decisions(None, apps, "accept", reason="Known to the committee from peer teaching.")
    return round


def test_two_confirmations_at_once_release_once():
    round = decided_round()
    shown = mailings.preview(RELEASE, round.pk)
    outcome = run_together(
        [lambda: mailings.confirm(None, RELEASE, round.pk, expected=shown.fingerprint)] * 2,
        refused_by=(MailingError, RecruitmentError),
    )
    assert outcome.errors == []
    assert len(outcome.done) == 1 and len(outcome.refused) == 1
    assert Mailing.objects.count() == 1
    assert SentEmail.objects.filter(status=SentEmail.Status.HELD).count() == 3


@pytest.mark.parametrize("attempt", range(3))
def test_an_undo_racing_the_release_is_all_or_nothing(attempt):
    round = decided_round()
    mailing = confirm_action(None, RELEASE, round.pk)
    due = mailing.release_at
    outcome = run_together(
        [
            lambda: mailings.undo(None, mailing.pk, now=due - timedelta(seconds=1)),
            lambda: mailings.release_due(now=due),
        ],
        refused_by=(MailingError,),
    )
    assert outcome.errors == []
    mailing.refresh_from_db()
    statuses = set(mailing.emails.values_list("status", flat=True))
    released = set(Application.objects.values_list("decision_released_at", flat=True))
    if mailing.state == Mailing.State.UNDONE:
        assert statuses == {SentEmail.Status.CANCELLED} and released == {None}
    else:
        assert mailing.state == Mailing.State.RELEASED and len(outcome.refused) == 1
        assert statuses <= {SentEmail.Status.QUEUED, SentEmail.Status.SENT}
        assert None not in released
