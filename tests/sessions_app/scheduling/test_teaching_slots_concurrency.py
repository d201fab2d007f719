"""Two tutors pick the same teaching slot at the same moment (PostgreSQL, real threads): one
gets it, the other is told it has gone, and the slot holds one session."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from sessions_app.errors import SessionError
from sessions_app.models import TeachingSession, TeachingSlot
from sessions_app.scheduling import slots
from tests.factories.allocation import (
    OfferingFactory,
    accepted_tutor,
    published_pairs,
    ranking_round,
)
from tests.support.concurrency import run_together
from tutors.models import RecruitmentRound

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("attempt", range(3))
def test_two_tutors_picking_one_slot_at_once_one_wins(attempt):
    round = ranking_round(state=RecruitmentRound.State.PUBLISHED)
    ann, bob = accepted_tutor(round), accepted_tutor(round)
    x, y = OfferingFactory(round=round), OfferingFactory(round=round)
    published_pairs(round, [(ann, x), (bob, y)])
    (slot,) = slots.add_slots(
        round, day=date(2030, 3, 5), start=time(18), end=time(19), venue="Lecture Theatre 1"
    )
    slots.release(round, timezone.now() + timedelta(days=7), None)
    outcome = run_together(
        [lambda: slots.pick_slot(ann, slot.pk, x.pk), lambda: slots.pick_slot(bob, slot.pk, y.pk)],
        refused_by=(SessionError,),
    )
    assert outcome.errors == []
    assert len(outcome.done) == 1 and len(outcome.refused) == 1
    assert TeachingSession.objects.count() == 1
    winner = outcome.done[0]
    assert TeachingSlot.objects.get().session_id == winner.pk
