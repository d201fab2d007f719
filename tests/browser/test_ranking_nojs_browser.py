"""Ranking without JavaScript: the plain form, every button a submit, the server keeping focus.

Why an earlier version of this walk hung in Chromium: it ran axe on the no-JavaScript page.
With `java_script_enabled=False` the page's timers never fire, and `axe.run()` resolves through
timers, so `page.evaluate()` of its promise never returns; and `page.evaluate()` has no
timeout at all. (Measured: `page.evaluate("new Promise(r => setTimeout(r, 10))")` never
returns in such a context, while synchronous evaluation and `wait_for_function` do.) This walk
waits only on navigations and locators, all with a timeout, and runs axe on the same page in a
JavaScript context.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login
from tests.factories.allocation import OfferingFactory, accepted_tutor, ranking_round
from tutors.models import Ranking

pytestmark = pytest.mark.django_db(transaction=True)

STEP_MS = 15_000  # one submit and its page; far above what it takes, far below a hang


@pytest.fixture
def nojs_page(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    context.set_default_timeout(STEP_MS)
    context.set_default_navigation_timeout(STEP_MS)
    page = context.new_page()
    yield page
    context.close()


def submit(page, button) -> None:
    """Focus a button, press Enter, wait for the page the form posts to (and nothing else)."""
    button.focus()
    expect(button).to_be_focused()
    with page.expect_navigation(wait_until="load", timeout=STEP_MS):
        page.keyboard.press("Enter")


def ranked_codes(rnd, tutor) -> list[str]:
    qs = Ranking.objects.filter(round=rnd, tutor=tutor).order_by("rank")
    return list(qs.values_list("offering__topic__code", flat=True))


def test_tutor_ranks_reorders_and_saves_with_the_plain_form(nojs_page, page):
    rnd = ranking_round(min_rank=3, max_rank=5)
    for i in range(4):
        OfferingFactory(round=rnd, topic__code=f"K-{i}", topic__title=f"Topic {i}")
    tutor = accepted_tutor(rnd, email="nojs@demo.meded.test")
    login(nojs_page, tutor.email)
    nojs_page.goto("/tutors/rankings/")
    for code, following in (("K-0", "K-1"), ("K-1", "K-2"), ("K-2", "K-3")):
        submit(nojs_page, nojs_page.get_by_role("button", name=f"Add {code} to your ranking"))
        # the server puts focus back where the tutor was working: the next topic's Add
        expect(
            nojs_page.get_by_role("button", name=f"Add {following} to your ranking")
        ).to_be_focused()
    submit(nojs_page, nojs_page.get_by_role("button", name=re.compile("move K-2 up")))
    submit(nojs_page, nojs_page.get_by_role("button", name=re.compile("move K-2 up")))
    assert "unsaved changes" in nojs_page.content()
    assert ranked_codes(rnd, tutor) == []  # nothing is saved until the tutor saves
    submit(nojs_page, nojs_page.get_by_role("button", name="Save ranking"))
    assert "is saved" in nojs_page.content()
    assert ranked_codes(rnd, tutor) == ["K-2", "K-0", "K-1"]
    # the same page, as a JavaScript browser gets it, passes axe
    login(page, tutor.email)
    page.goto("/tutors/rankings/")
    assert_accessible(page)
