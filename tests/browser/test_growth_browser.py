"""Keyboard only, 375 px wide, axe on every page: a tutor's fast-track standing, portfolio
(reflection, private link), load and cover request; a mentee asking for a mentor and checking
in; the committee previewing cover emails; the support page from the footer."""

import pytest

from tests.browser.conftest import assert_accessible, assert_fits_320, login
from tests.factories import CommitteeFactory, TopicFactory, UserFactory
from tests.factories.allocation import OfferingFactory, accepted_tutor, rank, ranking_round
from tests.factories.feedback import closed_by_now, give_feedback, past_session
from tests.factories.sessions import TeachingSessionFactory
from tests.factories.tutors import RecruitmentRoundFactory
from tutors.mentoring.models import SchemeKind
from tutors.mentoring.services import create_scheme, offer_to_mentor
from tutors.recruitment.services.fasttrack import save_rule

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def narrow(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    context.close()


def check(page):
    assert_accessible(page)
    assert_fits_320(page)


def press_on(page, selector, key="Enter"):
    page.locator(selector).first.focus()
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state()


def test_a_tutor_by_keyboard_at_375px(narrow):
    page = narrow
    ranking = ranking_round()
    topic = TopicFactory(title="Murmurs")
    offering = OfferingFactory(round=ranking, topic=topic)
    tutor = accepted_tutor(ranking, full_name="Tess Tutor", email="tess@demo.meded.test")
    other = accepted_tutor(ranking, full_name="Olu Other")
    rank(ranking, tutor, [offering])
    rank(ranking, other, [offering])
    with closed_by_now():  # the feedback window has closed: results are released
        session, students = past_session(attendees=3, tutors=[tutor], title="Valves")
        for s in students:
            give_feedback(s, session, overall=5)
    TeachingSessionFactory(topic=topic, tutors=[tutor], title="Murmurs revision")
    open_round = RecruitmentRoundFactory()
    save_rule(
        CommitteeFactory(),
        open_round,
        {
            "enabled": True,
            "min_sessions": 1,
            "min_mean": 4,
            "min_responses": 3,
            "min_observation_level": 0,
            "note": "",
        },
    )
    login(page, tutor.email)

    page.goto("/tutors/fast-track/")
    check(page)
    assert "You qualify" in page.content()

    page.goto("/feedback/portfolio/")
    check(page)
    page.locator("#id_text").focus()
    page.keyboard.type("Kept to time; the quiz worked.")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # include in portfolio
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Reflection saved." in page.content()
    press_on(page, "button:has-text('Make a private link')")
    check(page)
    link = page.locator("input[readonly]").first.input_value()
    page.goto(link)
    check(page)
    assert "Kept to time; the quiz worked." in page.content()

    page.goto("/teaching/load/")
    check(page)
    press_on(page, "button:has-text('Ask the committee to find cover')")
    assert "The committee has your request" in page.content()
    check(page)

    page.goto("/")
    press_on(page, "footer a:has-text('Support')")
    assert page.locator("h1").inner_text() == "Support"
    check(page)


def test_mentoring_and_cover_by_keyboard_at_375px(narrow):
    page = narrow
    committee = CommitteeFactory(email="chair@demo.meded.test")
    scheme = create_scheme(committee, "Mentoring 2026/27", SchemeKind.MENTORING)
    offer_to_mentor(UserFactory(year_of_study="5"), scheme, 2, ["exams"])
    mentee = UserFactory(year_of_study="2", email="mia@demo.meded.test")
    login(page, mentee.email)
    page.goto("/mentoring/")
    check(page)
    press_on(page, "a:has-text('Ask for a mentor')")
    check(page)
    page.locator("#id_priority_1").select_option("exams")
    page.locator("#id_priority_1").focus()
    page.keyboard.press("Tab")
    press_on(page, "main form button[type=submit]")
    assert "Your request is in" in page.content()

    page.context.clear_cookies()
    login(page, committee.email)
    page.goto("/committee/mentoring/")
    check(page)
    press_on(page, "a:has-text('Mentoring 2026/27')")
    press_on(page, "button:has-text('Close sign-ups and match')")
    check(page)
    press_on(page, "a:has-text('Preview introductions')")
    assert "2 introduction emails" in page.content()
    check(page)
    press_on(page, "button:has-text('Check the 2 emails and send')")
    assert "Who: 2 people" in page.content()  # the mass-email preview: who and what
    check(page)
    press_on(page, "button:has-text('Confirm and email 2 people')")
    assert "You can undo it until then" in page.content()
