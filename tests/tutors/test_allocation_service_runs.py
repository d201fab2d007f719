"""Committee allocation workflow: runs are stored, overrides kept, one publication per round."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from meded.models import SentEmail
from meded.notifications import mailings
from tests.factories.allocation import OfferingFactory, accepted_tutor, rank, ranking_round
from tests.factories.core import CommitteeFactory
from tests.support.concurrency import run_together
from tests.support.mailings import confirm_and_release
from tutors.allocation.engine import AllocationInputs, allocate
from tutors.allocation.selectors import published_allocation, run_view, tutor_explanations
from tutors.allocation.services import runs as allocating
from tutors.allocation.services.runs import (
    AllocationWorkflowError,
    close_ranking_now,
    export_csv,
    publish_run,
    run_allocation,
    set_override,
)
from tutors.models import AllocationRun, RoundState

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Three tutors, two single-place topics; everyone wants A first."""
    rnd = ranking_round()
    a, b = (
        OfferingFactory(round=rnd, topic__code="A-1"),
        OfferingFactory(round=rnd, topic__code="B-1"),
    )
    t1 = accepted_tutor(rnd, email="t1@x.test")
    t2 = accepted_tutor(rnd, email="t2@x.test")
    t3 = accepted_tutor(rnd, email="t3@x.test")
    rank(rnd, t1, [a, b])
    rank(rnd, t2, [a])
    rank(rnd, t3, [a, b])
    return rnd, a, b, (t1, t2, t3), CommitteeFactory()


def at_once(calls):
    """Run the calls in threads released together (each on its own connection); results."""
    return run_together(calls).done


def pairs(run):
    return sorted((p.tutor.email, p.offering.topic.code, p.rank) for p in run.pairs.all())


def test_a_run_stores_inputs_seed_result_and_who_ran_it(world):
    rnd, _a, _b, _tutors, boss = world
    run = run_allocation(rnd, boss, seed=5)
    assert run.seed == 5 and run.created_by == boss and run.objective == "greedy"
    assert run.statistics["places_filled"] == 2
    assert run.inputs["tutors"][0] == {
        "id": "t1@x.test",
        "ranking": ["A-1", "B-1"],
        "max_topics": 1,
    }
    # The stored snapshot reproduces the stored result exactly.
    again = allocate(AllocationInputs.from_dict(run.inputs))
    assert again.to_dict()["pairs"] == run.result["pairs"]
    assert len(run.pairs.all()) == 2
    assert run.baseline["method"] == "serial_dictatorship"


def test_rerunning_the_same_data_cannot_fish_for_another_tie_break(world, monkeypatch):
    rnd, *_, boss = world
    draws = iter([11, 22, 33])
    monkeypatch.setattr(allocating.secrets, "randbelow", lambda _n: next(draws))
    first = run_allocation(rnd, boss)
    again = [run_allocation(rnd, boss) for _ in range(3)]
    # t1 and t3 tie for A-1: the seed drawn at the first run is kept, so is the winner.
    assert first.seed == 11
    assert {r.seed for r in again} == {11}
    assert {tuple(pairs(r)) for r in again} == {tuple(pairs(first))}


def test_each_round_draws_its_own_seed_at_its_first_run(world, monkeypatch):
    rnd, *_, boss = world
    other = ranking_round()
    OfferingFactory(round=other)
    draws = iter([11, 22])
    monkeypatch.setattr(allocating.secrets, "randbelow", lambda _n: next(draws))
    assert run_allocation(rnd, boss).seed == 11
    assert run_allocation(other, boss).seed == 22
    assert run_allocation(rnd, boss).seed == 11


def test_locked_pairs_are_kept_and_forbidden_pairs_avoided_on_rerun(world):
    rnd, a, b, (t1, _t2, t3), boss = world
    set_override(rnd, boss, t3, a, "lock")
    set_override(rnd, boss, t1, b, "forbid")
    run = run_allocation(rnd, boss, seed=1)
    got = pairs(run)
    assert ("t3@x.test", "A-1", 1) in got
    assert all(not (e == "t1@x.test" and c == "B-1") for e, c, _ in got)
    assert run.pairs.get(tutor=t3).locked
    set_override(rnd, boss, t3, a, None)
    assert rnd.allocation_overrides.count() == 1


def test_publish_marks_one_run_emails_every_tutor_and_feeds_sessions(world):
    rnd, _a, _b, _tutors, boss = world
    run = run_allocation(rnd, boss, seed=3)
    other = run_allocation(rnd, boss, seed=4)
    close_ranking_now(rnd)
    confirm_and_release(boss, "tutors.publish_allocation", run.pk)
    rnd.refresh_from_db()
    assert rnd.state == RoundState.PUBLISHED
    with pytest.raises(AllocationWorkflowError, match="already has a published"):
        publish_run(other, boss, close_ranking=True)
    emails = SentEmail.objects.filter(kind="allocation_published")
    assert sorted(e.recipient.email for e in emails) == ["t1@x.test", "t2@x.test", "t3@x.test"]
    unlucky = next(e for e in emails if e.recipient.email not in {p[0] for p in pairs(run)})
    assert "no topic place for you" in unlucky.body_text
    got = published_allocation(rnd)
    assert sorted((u.email, topic.code, r) for u, topic, _, r in got) == pairs(run)


def test_database_allows_one_published_run_per_round(world):
    rnd, *_, boss = world
    r1, r2 = run_allocation(rnd, boss), run_allocation(rnd, boss)
    AllocationRun.objects.filter(pk=r1.pk).update(is_published=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        AllocationRun.objects.filter(pk=r2.pk).update(is_published=True)


def test_no_runs_or_overrides_after_publication(world):
    rnd, a, _, (t1, *_), boss = world
    publish_run(run_allocation(rnd, boss), boss, close_ranking=True)
    with pytest.raises(AllocationWorkflowError):
        run_allocation(rnd, boss)
    with pytest.raises(AllocationWorkflowError):
        set_override(rnd, boss, t1, a, "lock")


def test_explanations_for_tutor_and_committee(world):
    rnd, a, b, (t1, t2, t3), boss = world
    set_override(rnd, boss, t2, a, "lock")
    run = run_allocation(rnd, boss, seed=2)
    loser = t1 if run.pairs.filter(tutor=t3, offering=b).exists() else t3
    rows = tutor_explanations(run, loser)
    assert rows and rows[0].code == "A-1"
    assert "assigned in advance by the committee" in rows[0].message
    view = run_view(run)
    assert view.comparison.rows[0][0] == "places filled"
    assert {t["id"] for t in view.per_tutor} == {"t1@x.test", "t2@x.test", "t3@x.test"}


def test_export_is_the_command_line_format(world):
    rnd, *_, boss = world
    run = run_allocation(rnd, boss, seed=9)
    lines = export_csv(run).splitlines()
    assert lines[0] == "tutor_email,topic_code,rank"
    assert len(lines) == 3


def test_no_offerings_is_a_clear_error():
    rnd = ranking_round()
    with pytest.raises(AllocationWorkflowError, match="Add topic offerings"):
        run_allocation(rnd, CommitteeFactory())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_committee_members_publishing_at_once_publish_one_run():
    rnd = ranking_round()
    o = OfferingFactory(round=rnd)
    t = accepted_tutor(rnd)
    rank(rnd, t, [o])
    boss = CommitteeFactory()
    runs = [run_allocation(rnd, boss), run_allocation(rnd, boss)]

    close_ranking_now(rnd)
    shown = {r.pk: mailings.preview("tutors.publish_allocation", r.pk) for r in runs}

    def publish(run):
        try:
            mailings.confirm(
                boss, "tutors.publish_allocation", run.pk, expected=shown[run.pk].fingerprint
            )
            return "ok"
        except AllocationWorkflowError:
            return "refused"

    outcomes = at_once([lambda r=r: publish(r) for r in runs])
    assert sorted(outcomes) == ["ok", "refused"]
    assert AllocationRun.objects.filter(is_published=True).count() == 1
    assert SentEmail.objects.filter(kind="allocation_published").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_first_runs_at_once_share_one_seed():
    """The round row lock makes the second first run wait and reuse the first one's seed."""
    rnd = ranking_round()
    o = OfferingFactory(round=rnd)
    rank(rnd, accepted_tutor(rnd), [o])
    boss = CommitteeFactory()
    seeds = at_once([lambda: run_allocation(rnd, boss).seed] * 2)
    assert len(seeds) == 2 and len(set(seeds)) == 1
    assert set(AllocationRun.objects.values_list("seed", flat=True)) == set(seeds)
