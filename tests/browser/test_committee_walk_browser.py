"""The committee walks a round from /committee/ by clicks only: what needs them now, review
with progress and next/previous, the round's timeline and every stage of its navigation,
the register's check-in screen; axe finds nothing at 1280 px and at 375 px on each page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sessions_app.models import Booking, TeachingSession
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


def home(page) -> None:
    """Back to /committee/ by the site's navigation (a click, never a typed address)."""
    page.locator("nav").get_by_role("link", name="Committee", exact=True).first.click()
    page.wait_for_load_state()


@pytest.fixture
def term():
    """A round whose applications closed (one to review and decide), a round ranking (two
    tutors ranked), and a session running now with two people booked."""
    from tests.factories.tutors import applications_closed
    from tutors.models import RoundState

    applying = applications_closed(name="Spring applications", state=RoundState.INTERVIEWING)
    add_default_rubric(applying)
    app = ApplicationFactory(round=applying, applicant__full_name="Ada Applicant")
    ranking = ranking_round(name="Autumn ranking")
    offerings = [OfferingFactory(round=ranking, topic__title=f"Heart topic {i}") for i in range(2)]
    for name in ("Tam Tutor", "Uma Tutor"):
        rank(ranking, accepted_tutor(ranking, full_name=name), offerings)
    start = timezone.now().replace(microsecond=0) - timedelta(minutes=5)
    session = TeachingSessionFactory(
        title="Cardiology revision", starts_at=start, ends_at=start + timedelta(hours=1)
    )
    booked = [BookingFactory(session=session, status=Booking.Status.CONFIRMED) for _ in range(2)]
    return applying, app, ranking, session, booked


def test_the_committee_runs_a_term_by_clicks_only(page, term):
    """Review to released decisions, rankings to a published allocation, sessions from it, a
    register marked, the feedback dashboard: from /committee/ by clicks, axe at both widths."""
    from tutors.models import AllocationRun, Application

    applying, app, ranking, _, booked = term
    login(page, CommitteeFactory(full_name="Chris Chair").email)
    page.locator("nav").get_by_role("link", name="Committee", exact=True).first.click()
    page.wait_for_load_state()
    both_widths(page)

    # Review -> decision -> release (preview, confirm).
    click(page, "link", "1 applications you have not reviewed")
    both_widths(page)
    page.locator("main table tbody a").first.click()
    page.wait_for_load_state()
    both_widths(page)
    for c in applying.criteria.filter(stage="review"):
        page.locator(f"input[name='review-c_{c.pk}'][value='4']").check()
    click(page, "button", "Save score")
    assert "Your score is saved" in page.content()
    page.locator("#id_decision-decision").select_option("accept")
    page.locator("#id_decision-message").fill("Welcome aboard!")
    click(page, "button", "Record decision")
    both_widths(page)
    nav = f"nav[aria-label='Stages of {applying.name}']"
    click(page, "link", "Applications & decisions", within=nav)
    click(page, "link", "Release 1 decision: check the emails first")
    assert "Who: 1 person" in page.content() and "Welcome aboard!" in page.content()
    both_widths(page)
    click(page, "button", "Confirm and email 1 person")
    assert "You can undo it until then" in page.content()
    both_widths(page)
    assert Application.objects.get(pk=app.pk).status == "accepted"

    # Rankings -> run -> publish the allocation (preview, confirm).
    home(page)
    click(page, "link", "Recruitment rounds")
    page.locator("main").get_by_role("link", name="Autumn ranking", exact=True).click()
    page.wait_for_load_state()
    nav = f"nav[aria-label='Stages of {ranking.name}']"
    click(page, "link", "Rankings", within=nav)
    assert "Tutor rankings" in page.inner_text("main")
    both_widths(page)
    click(page, "link", "Allocation", within=nav)
    click(page, "button", "Run the allocation")
    both_widths(page)
    run = AllocationRun.objects.get(round=ranking)
    page.get_by_label("Close ranking now").check()
    click(page, "button", f"Publish run {run.pk}: check the tutors' emails first")
    assert "Who: 2 people" in page.content()
    both_widths(page)
    click(page, "button", "Confirm and email 2 people")
    assert "You can undo it until then" in page.content()
    both_widths(page)
    assert AllocationRun.objects.get(pk=run.pk).is_published

    # Sessions from the published allocation.
    home(page)
    click(page, "link", "Sessions", within="main .card")
    both_widths(page)
    click(page, "link", "Sessions from an allocation")
    page.locator("#first_day").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    click(page, "button", "Create draft sessions")
    both_widths(page)
    assert TeachingSession.objects.filter(offering__round=ranking).count() == 2

    # A register: everyone present in one click.
    home(page)
    click(page, "link", "Sessions", within="main .card")
    click(page, "link", "Cardiology revision", within="main table")
    click(page, "link", "Register")
    both_widths(page)
    click(page, "button", "Mark everyone not yet marked present")
    both_widths(page)
    assert [Booking.objects.get(pk=b.pk).attended for b in booked] == [True, True]

    # The feedback dashboard.
    home(page)
    click(page, "link", "Feedback", within="main .card-title")
    both_widths(page)
