"""A tutor ranks topics with the keyboard only; the committee runs, locks, re-runs, publishes."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, assert_fits_320, login
from tests.factories.allocation import OfferingFactory, accepted_tutor, rank, ranking_round
from tests.factories.core import CommitteeFactory
from tutors.models import AllocationRun

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    rnd = ranking_round(min_rank=3, max_rank=5)
    offs = [
        OfferingFactory(round=rnd, topic__code=f"K-{i}", topic__title=f"Topic {i}")
        for i in range(5)
    ]
    offs[4].min_tutor_year = 6
    offs[4].save()
    return rnd, offs


def test_committee_runs_locks_reruns_and_publishes(page, phone_page, world):
    rnd, offs = world
    a, b = offs[0], offs[1]
    t1 = accepted_tutor(rnd, full_name="Ada Able")
    t2 = accepted_tutor(rnd, full_name="Bea Bold")
    rank(rnd, t1, [a, b])
    rank(rnd, t2, [a, b])
    boss = CommitteeFactory()
    login(page, boss.email)
    page.goto(f"/committee/rounds/{rnd.pk}/allocation/")
    assert_accessible(page)
    page.get_by_label("Generous").check()
    page.get_by_role("button", name="Run the allocation").click()
    page.wait_for_load_state()
    assert "Run 1" in page.content() or AllocationRun.objects.count() == 1
    assert_accessible(page)
    # Lock Bea on K-1, run again: the lock is kept.
    page.get_by_label("Topic to lock or forbid for Bea Bold").select_option(label="2. K-1")
    page.get_by_role("button", name="Lock for Bea Bold").click()
    page.wait_for_load_state()
    assert "Run again to apply it" in page.content()
    page.get_by_role("button", name="Run the allocation").click()
    page.wait_for_load_state()
    latest = AllocationRun.objects.first()
    assert latest.pairs.get(tutor=t2).offering == b and latest.pairs.get(tutor=t2).locked
    page.get_by_label("Close ranking now").check()  # ranking is still open in this world
    publish = f"Publish run {latest.pk}: check the tutors' emails first"
    page.get_by_role("button", name=publish).click()
    page.wait_for_load_state()
    assert "Who: 2 people" in page.content()
    page.get_by_role("button", name="Confirm and email 2 people").click()
    page.wait_for_load_state()
    assert "You can undo it until then" in page.content()
    assert AllocationRun.objects.get(is_published=True) == latest
    page.goto(f"/committee/rounds/{rnd.pk}/allocation/?run={latest.pk}")
    assert_accessible(page)
    # Compare the published run with the first one: figures and the tutors who moved.
    page.get_by_label("Other run", exact=True).select_option(str(AllocationRun.objects.last().pk))
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_load_state()
    assert "Pairs not in the other run" in page.content()
    assert_accessible(page)
    login(phone_page, boss.email)
    phone_page.goto(f"/committee/rounds/{rnd.pk}/allocation/")
    assert_fits_320(phone_page)


def test_committee_offerings_and_rankings_pages_are_accessible(page, world):
    rnd, offs = world
    rank(rnd, accepted_tutor(rnd), offs[:3])
    accepted_tutor(rnd)
    login(page, CommitteeFactory().email)
    for step in ("offerings", "rankings"):
        page.goto(f"/committee/rounds/{rnd.pk}/{step}/")
        assert_accessible(page)
