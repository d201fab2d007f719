"""Tutors rank offerings: whole lists, window, eligibility, limits, reminders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction

from meded.models import SentEmail
from tests.factories.allocation import OfferingFactory, accepted_tutor, rank, ranking_round
from tests.factories.core import TutorFactory
from tests.support.notifications import send_queued
from tutors.allocation.services.ranking import RankingError, save_ranking, send_ranking_reminders
from tutors.models import Offering, Ranking

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    rnd = ranking_round(min_rank=2, max_rank=3)
    offerings = [OfferingFactory(round=rnd) for _ in range(5)]
    tutor = accepted_tutor(rnd)
    return rnd, offerings, tutor


def ids(offerings):
    return [o.pk for o in offerings]


def saved(rnd, tutor):
    return list(
        Ranking.objects.filter(round=rnd, tutor=tutor)
        .order_by("rank")
        .values_list("offering_id", flat=True)
    )


def test_a_list_is_saved_in_order_and_replaces_the_previous_one(setup):
    rnd, offs, tutor = setup
    save_ranking(tutor, rnd, ids([offs[0], offs[1], offs[2]]))
    save_ranking(tutor, rnd, ids([offs[3], offs[0]]))
    assert saved(rnd, tutor) == ids([offs[3], offs[0]])


@pytest.mark.parametrize(
    "chosen, message",
    [
        ([0], "Rank at least 2 topics (you have 1)."),
        ([0, 1, 2, 3], "Rank at most 3 topics (you have 4)."),
        ([0, 1, 0], "is in your list twice"),
    ],
)
def test_too_few_too_many_and_duplicates_are_refused_and_change_nothing(setup, chosen, message):
    rnd, offs, tutor = setup
    save_ranking(tutor, rnd, ids(offs[:2]))
    with pytest.raises(RankingError) as err:
        save_ranking(tutor, rnd, [offs[i].pk for i in chosen])
    assert any(message in e for e in err.value.errors)
    assert saved(rnd, tutor) == ids(offs[:2])


def test_an_offering_of_another_round_is_refused(setup):
    rnd, offs, tutor = setup
    other = OfferingFactory()
    with pytest.raises(RankingError, match="not offered in this round"):
        save_ranking(tutor, rnd, [offs[0].pk, other.pk])


def test_an_ineligible_offering_cannot_be_ranked_and_the_reason_is_given(setup):
    rnd, offs, tutor = setup  # tutor is in year 5
    offs[0].min_tutor_year = 6
    offs[0].save()
    with pytest.raises(RankingError) as err:
        save_ranking(tutor, rnd, ids(offs[:2]))
    assert "Only tutors in year 6 or later may teach this topic." in err.value.errors[0]


def test_only_accepted_tutors_of_the_round_may_rank(setup):
    rnd, offs, _ = setup
    with pytest.raises(RankingError, match="not a tutor in this recruitment round"):
        save_ranking(TutorFactory(), rnd, ids(offs[:2]))


def test_rankings_are_read_only_outside_the_window(setup):
    rnd, offs, tutor = setup
    with (
        time_machine.travel(rnd.ranking_closes, tick=False),
        pytest.raises(RankingError, match="window is closed"),
    ):
        save_ranking(tutor, rnd, ids(offs[:2]))
    with (
        time_machine.travel(rnd.ranking_opens - timedelta(seconds=1), tick=False),
        pytest.raises(RankingError),
    ):
        save_ranking(tutor, rnd, ids(offs[:2]))
    with time_machine.travel(rnd.ranking_closes - timedelta(seconds=1), tick=False):
        save_ranking(tutor, rnd, ids(offs[:2]))


def test_database_refuses_two_offerings_at_one_rank(setup):
    rnd, offs, tutor = setup
    rank(rnd, tutor, offs[:1])
    with pytest.raises(IntegrityError), transaction.atomic():
        Ranking.objects.create(round=rnd, tutor=tutor, offering=offs[1], rank=1)


def test_database_refuses_an_offering_twice_and_bad_capacity(setup):
    rnd, offs, tutor = setup
    rank(rnd, tutor, offs[:1])
    with pytest.raises(IntegrityError), transaction.atomic():
        Ranking.objects.create(round=rnd, tutor=tutor, offering=offs[0], rank=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Offering.objects.create(round=rnd, topic=offs[1].topic)
    with pytest.raises(IntegrityError), transaction.atomic():
        Offering.objects.filter(pk=offs[0].pk).update(capacity=0)


def test_reminder_48_hours_before_close_goes_once_to_those_who_have_not_ranked(setup):
    rnd, offs, tutor = setup
    ranked = accepted_tutor(rnd)
    rank(rnd, ranked, offs[:2])
    with time_machine.travel(rnd.ranking_closes - timedelta(hours=49), tick=False):
        assert send_ranking_reminders() == 0
    with time_machine.travel(rnd.ranking_closes - timedelta(hours=47), tick=False):
        assert send_ranking_reminders() == 1
        assert send_ranking_reminders() == 0
        send_queued()  # what an email says is written when it goes
    sent = SentEmail.objects.get(kind="ranking_deadline_reminder")
    assert sent.recipient == tutor
    assert rnd.name in sent.subject
    with time_machine.travel(rnd.ranking_closes + timedelta(minutes=1), tick=False):
        assert send_ranking_reminders() == 0


def test_reminder_time_is_shown_in_london_time_across_the_clock_change():
    # Closes 2026-10-25 11:00 UTC = 11:00 GMT, just after the clocks went back (01:00 UTC);
    # the reminder goes out 47 h before, on 23 October in BST.
    closes = datetime(2026, 10, 25, 11, 0, tzinfo=UTC)
    rnd = ranking_round(ranking_opens=closes - timedelta(days=5), ranking_closes=closes)
    tutor = accepted_tutor(rnd)
    OfferingFactory(round=rnd)
    with time_machine.travel(closes - timedelta(hours=47), tick=False):
        assert send_ranking_reminders() == 1
        send_queued()  # what an email says is written when it goes
    sent = SentEmail.objects.get(recipient=tutor)
    assert "25 Oct, 11:00" in sent.subject
    assert "Sunday 25 October 2026, 11:00" in sent.body_text
