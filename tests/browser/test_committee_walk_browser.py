"""The committee walks a round from /committee/ by clicks only: what needs them now, review
with progress and next/previous, the round's timeline and every stage of its navigation,
the register's check-in screen; axe finds nothing at 1280 px and at 375 px on each page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sessions_app.models import Booking
from tests.browser.conftest import assert_accessible, login
from tests.factories.allocation import OfferingFactory, accepted_tutor, rank, ranking_round
from tests.factories.core import CommitteeFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory
from tests.factories.tutors import ApplicationFactory, RecruitmentRoundFactory
from tutors.recruitment.services.recruitment import add_default_rubric

pytestmark = pytest.mark.django_db(transaction=True)


def both_widths(page) -> None:
    """axe at the desktop width and at a phone's."""
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 740})
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def click(page, role: str, name: str, *, within: str = "main") -> None:
    page.locator(within).get_by_role(role, name=name).first.click()
    page.wait_for_load_state()


@pytest.fixture
def world():
    applying = RecruitmentRoundFactory(name="Spring applications")
    add_default_rubric(applying)
    for _ in range(3):
        ApplicationFactory(round=applying)
    ranking = ranking_round(name="Autumn ranking")
    offerings = [OfferingFactory(round=ranking) for _ in range(3)]
    tutor = accepted_tutor(ranking)
    accepted_tutor(ranking)  # has not ranked yet
    rank(ranking, tutor, offerings)
    start = timezone.now().replace(microsecond=0) - timedelta(minutes=5)
    session = TeachingSessionFactory(
        title="Cardiology revision", starts_at=start, ends_at=start + timedelta(hours=1)
    )
    BookingFactory(session=session, status=Booking.Status.CONFIRMED)
    return applying, ranking, session


def test_the_committee_walks_a_round_by_clicks_only(page, world):
    applying, ranking, session = world
    login(page, CommitteeFactory().email)
    page.goto("/committee/")
    assert "Needs you now" in page.inner_text("main")
    both_widths(page)

    # Review: from "needs you now" to the list of what is left, then application by application.
    click(page, "link", "3 applications you have not reviewed")
    assert "You have reviewed 0 of 3 applications" in page.inner_text("main")
    both_widths(page)
    page.locator("main table tbody a").first.click()
    page.wait_for_load_state()
    assert "Application 1 of 3 in this list" in page.inner_text("main")
    both_widths(page)
    click(page, "link", "Next application")
    assert "Application 2 of 3 in this list" in page.inner_text("main")

    # The round overview is its timeline.
    click(page, "link", "Overview", within=f"nav[aria-label='Stages of {applying.name}']")
    assert "The round, stage by stage" in page.inner_text("main")
    both_widths(page)

    # The ranking round: from the home's "not ranked" line to rankings, then along the stages.
    page.goto("/committee/")
    click(page, "link", "1 tutors have not ranked their topics")
    assert "Tutor rankings" in page.inner_text("main")
    both_widths(page)
    nav = f"nav[aria-label='Stages of {ranking.name}']"
    for stage, heading in (
        ("Overview", "The round, stage by stage"),
        ("Offerings", "Topic offerings"),
        ("Allocation", "Topic allocation"),
        ("Interviews", "Interview"),
        ("Applications & decisions", "Applications"),
    ):
        click(page, "link", stage, within=nav)
        assert heading in page.inner_text("main"), stage
        both_widths(page)
    click(page, "link", "Overview", within=nav)
    click(page, "link", "Sessions", within="#stage-sessions")
    assert "allocation" in page.inner_text("main").lower()
    both_widths(page)

    # The register of a session running now, and its check-in screen.
    page.goto("/committee/")
    click(page, "link", "Sessions", within="main .card")
    page.locator("main table").get_by_role("link", name="Cardiology revision").click()
    page.wait_for_load_state()
    page.goto(f"/sessions/{session.pk}/register/")  # the register is linked from the session
    both_widths(page)
    click(page, "link", "Show the check-in QR code")
    assert page.locator("main svg").count() == 1
    both_widths(page)
