"""Teaching dates and topic swaps in the browser: a tutor picks a date from their tutor page
on a 320 px phone with the keyboard; the committee's pages pass axe."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sessions_app.models import TeachingSession
from sessions_app.scheduling import slots
from tests.browser.conftest import assert_accessible, assert_fits_320, login
from tests.factories.allocation import (
    OfferingFactory,
    accepted_tutor,
    published_pairs,
    ranking_round,
)
from tests.factories.core import CommitteeFactory
from tutors.allocation.services.swaps import offer_swap
from tutors.models import RecruitmentRound

pytestmark = pytest.mark.django_db(transaction=True)


def released():
    round = ranking_round(state=RecruitmentRound.State.PUBLISHED)
    tutor = accepted_tutor(round)
    offering = OfferingFactory(round=round)
    run = published_pairs(round, [(tutor, offering)])
    slots.add_slots(
        round, day=date(2030, 3, 5), start=time(18), end=time(19), venue="Lab 1", weeks=2
    )
    slots.release(round, timezone.now() + timedelta(days=7), None)
    return round, tutor, offering, run


def test_a_tutor_picks_a_date_by_keyboard_on_a_phone(phone_page):
    page = phone_page
    _round, tutor, offering, _run = released()
    login(page, tutor.email)
    page.goto("/tutors/")
    page.get_by_role("link", name="Choose the dates you teach your topics").click()
    assert_fits_320(page)
    assert_accessible(page)
    button = page.get_by_role("button", name="Pick Tue 5 Mar 2030, 18:00").first
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your date:")).to_be_visible()
    assert TeachingSession.objects.get(offering=offering).venue == "Lab 1"
    assert_accessible(page)
    page.goto("/tutors/")
    page.get_by_role("link", name="Offer a topic for swap").click()
    page.get_by_role("button", name="Offer for swap").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Offered for swap", exact=True)).to_be_visible()
    assert_fits_320(page)
    assert_accessible(page)


def test_the_committee_pages_for_dates_and_swaps_pass_axe(page):
    round, tutor, _offering, run = released()
    offer_swap(tutor, run.pairs.get().pk)
    login(page, CommitteeFactory().email)
    page.goto(f"/committee/rounds/{round.pk}/")
    page.get_by_role("link", name="Teaching dates").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Swaps", exact=True).click()
    expect(page.get_by_text("Offers with no swap yet")).to_be_visible()
    assert_accessible(page)
