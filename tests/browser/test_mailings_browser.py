"""Publishing an allocation the safe way, in a browser at 1280 and 375 px: the committee sees
who gets what, confirms, finds the held emails in the outbox and undoes it; axe finds nothing
on any page."""

from __future__ import annotations

import re

import pytest

from meded.notifications.models import Mailing, SentEmail
from tests.browser.conftest import assert_accessible, assert_fits_320, login
from tests.factories.allocation import OfferingFactory, accepted_tutor, rank, ranking_round
from tests.factories.core import CommitteeFactory
from tutors.allocation.services.runs import close_ranking_now, run_allocation
from tutors.models import AllocationRun, RoundState

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def narrow_page(chromium, live_server):
    """A 375 px phone."""
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    context.set_default_timeout(30_000)
    pg = context.new_page()
    yield pg
    context.close()


def a_run_to_publish():
    rnd = ranking_round(min_rank=1, max_rank=2)
    topics = [OfferingFactory(round=rnd, topic__code=f"M-{i}") for i in range(2)]
    ada = accepted_tutor(rnd, full_name="Ada Able")
    bea = accepted_tutor(rnd, full_name="Bea Bold")
    rank(rnd, ada, topics)
    rank(rnd, bea, topics)
    boss = CommitteeFactory()
    return rnd, run_allocation(rnd, boss), boss, (ada, bea)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_publish_preview_confirm_then_undo_from_the_outbox(page, narrow_page, width):
    pg = page if width == "desktop" else narrow_page
    rnd, run, boss, tutors = a_run_to_publish()
    login(pg, boss.email)
    pg.goto(f"/committee/rounds/{rnd.pk}/allocation/?run={run.pk}")
    pg.get_by_label("Close ranking now").check()  # ranking is still open in this world
    pg.get_by_role("button", name=re.compile(f"Publish run {run.pk}")).click()
    pg.wait_for_load_state()
    # who and what, before anything happens
    assert pg.get_by_role("heading", name="Who: 2 people").is_visible()
    for tutor in tutors:
        assert tutor.email in pg.content()
    assert "Subject:" in pg.content()
    assert SentEmail.objects.count() == 0 and not AllocationRun.objects.get(pk=run.pk).is_published
    assert_accessible(pg)
    if width == "phone":
        assert_fits_320(pg)
    pg.get_by_role("button", name="Confirm and email 2 people").click()
    pg.wait_for_load_state()
    assert "You can undo it until then" in pg.content()
    assert AllocationRun.objects.get(pk=run.pk).is_published
    assert set(SentEmail.objects.values_list("status", flat=True)) == {"held"}
    assert_accessible(pg)
    # the outbox shows it waiting, with its undo button
    pg.goto("/committee/")
    pg.get_by_role("link", name=re.compile("mass email waiting to go")).click()
    pg.wait_for_load_state()
    assert_accessible(pg)
    pg.get_by_role("button", name=re.compile(r"Undo\W+Topic allocation")).click()
    pg.wait_for_load_state()
    assert "Nobody was emailed" in pg.content()
    assert_accessible(pg)
    assert Mailing.objects.get().state == "undone"
    assert not AllocationRun.objects.filter(is_published=True).exists()
    rnd.refresh_from_db()
    assert rnd.state == RoundState.RANKING
    assert set(SentEmail.objects.values_list("status", flat=True)) == {"cancelled"}


def test_a_chosen_time_in_the_past_is_refused_next_to_the_field(page):
    rnd, run, boss, _ = a_run_to_publish()
    close_ranking_now(rnd)  # publishing needs the ranking window closed
    login(page, boss.email)
    page.goto(f"/committee/mailings/new/tutors.publish_allocation/{run.pk}/")
    page.get_by_label("At a chosen time (you can undo it until then)").check()
    page.get_by_label("Send at (UK time)").fill("2020-01-01T09:00")
    page.get_by_role("button", name="Confirm and email 2 people").click()
    page.wait_for_load_state()
    assert "at least" in page.content()
    assert_accessible(page)
    assert Mailing.objects.count() == 0
