"""State rules the services enforce, whatever page or command calls them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories.allocation import OfferingFactory, accepted_tutor, rank, ranking_round
from tests.factories.core import CommitteeFactory
from tutors.allocation.services.runs import (
    AllocationWorkflowError,
    publish_run,
    run_allocation,
    run_is_current,
    set_override,
)
from tutors.models import RoundState

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    rnd = ranking_round()
    a, b = OfferingFactory(round=rnd), OfferingFactory(round=rnd)
    t1, t2 = accepted_tutor(rnd), accepted_tutor(rnd)
    rank(rnd, t1, [a, b])
    rank(rnd, t2, [a])
    return rnd, a, b, (t1, t2), CommitteeFactory()


def test_publishing_while_ranking_is_open_is_refused_without_closing_it(world):
    rnd, *_, boss = world
    run = run_allocation(rnd, boss)
    with pytest.raises(AllocationWorkflowError, match="close ranking now") as exc:
        publish_run(run, boss)
    assert exc.value.field == "close_ranking"
    rnd.refresh_from_db()
    assert rnd.state == RoundState.RANKING and not run.is_published


def test_close_ranking_now_closes_the_window_and_publishes(world):
    rnd, *_, boss = world
    run = run_allocation(rnd, boss)
    publish_run(run, boss, close_ranking=True)
    rnd.refresh_from_db()
    assert rnd.state == RoundState.PUBLISHED
    assert rnd.ranking_closes <= timezone.now()


def test_after_the_window_closed_no_closing_is_needed(world):
    rnd, *_, boss = world
    run = run_allocation(rnd, boss)
    rnd.ranking_closes = timezone.now() - timedelta(minutes=1)
    rnd.save()
    publish_run(run, boss)
    assert run.is_published


@pytest.mark.parametrize("change", ["offering", "ranking", "lock", "capacity"])
def test_a_run_that_no_longer_matches_the_round_asks_for_a_re_run(world, change):
    rnd, a, b, (_t1, t2), boss = world
    run = run_allocation(rnd, boss)
    assert run_is_current(run)
    if change == "offering":
        OfferingFactory(round=rnd)
    elif change == "ranking":
        rnd.rankings.filter(tutor=t2).delete()
        rank(rnd, t2, [b])
    elif change == "lock":
        set_override(rnd, boss, t2, b, "lock")
    else:
        a.capacity = 2
        a.save()
    assert not run_is_current(run)
    with pytest.raises(AllocationWorkflowError, match="run the allocation again"):
        publish_run(run, boss, close_ranking=True)
    run.refresh_from_db()
    assert not run.is_published
    rerun = run_allocation(rnd, boss)
    publish_run(rerun, boss, close_ranking=True)
    assert rerun.is_published
