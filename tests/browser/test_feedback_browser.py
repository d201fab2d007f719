"""Feedback in the browser: a student answers after attending; a tutor sees results at close."""

from datetime import timedelta

import pytest
import time_machine

from feedback.models import FeedbackForm, Response
from tests.browser.conftest import assert_accessible, assert_fits_320, login
from tests.factories.core import CommitteeFactory, TutorFactory
from tests.factories.feedback import approve_all_text, attend, give_feedback, past_session

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _patient_navigation(page, phone_page):
    """The first request to a fresh live server can be slow on a busy CI machine."""
    for pg in (page, phone_page):
        pg.set_default_navigation_timeout(30_000)


def test_a_student_gives_feedback_after_attending(page, phone_page):
    session, (student,) = past_session(attendees=1)
    login(page, student.email)
    page.goto("/feedback/")
    assert_accessible(page)
    page.get_by_role("link", name=f"Give feedback on {session.title}").click()
    assert_accessible(page)
    page.get_by_label("I attended live").check()
    for legend in [
        "Overall quality of the session",
        "The session improved my knowledge of the topic",
        "How confident do you now feel about this topic?",
        "The session motivated me to study this topic further",
        "I feel academically supported by the society",
        "I feel part of a community of learners",
        "The content was relevant to my exams",
        "The tutor explained things clearly",
    ]:
        group = page.get_by_role("group", name=legend)
        group.get_by_role("radio").nth(3).check()
    page.get_by_role("group", name="How was the pace?").get_by_label("About right").check()
    page.get_by_role("group", name="How likely are you").get_by_label("9", exact=True).check()
    page.get_by_label("What went well?").fill("The ECG walkthrough was excellent.")
    page.get_by_role("button", name="Send feedback").click()
    page.wait_for_load_state()
    assert "Thank you" in page.content()
    assert_accessible(page)
    assert Response.objects.filter(session=session).count() == 1

    other, _ = past_session()
    attend(other, student=student)
    login(phone_page, student.email)
    phone_page.goto("/feedback/")
    assert_fits_320(phone_page)
    phone_page.goto(f"/feedback/sessions/{other.pk}/")
    assert_fits_320(phone_page)
    assert_accessible(phone_page)


def test_a_tutor_sees_results_once_the_window_closes_with_the_threshold_met(page, phone_page):
    tutor = TutorFactory()
    open_session, others = past_session(attendees=3, tutors=[tutor])
    for s in others:
        give_feedback(s, open_session, overall=3)
    session, students = past_session(attendees=3, tutors=[tutor], days_ago=20)
    with time_machine.travel(session.ends_at + timedelta(hours=1), tick=False):
        for s in students[:2]:
            give_feedback(s, session, overall=5, text="Brilliant and clear")
        give_feedback(students[2], session, overall=4)
    approve_all_text()
    login(page, tutor.email)
    page.goto(f"/feedback/mine/teaching/{open_session.pk}/")
    assert "Feedback is open until" in page.content()  # nothing, not even a count, until close
    assert_accessible(page)
    page.goto("/feedback/mine/teaching/")
    assert_accessible(page)
    page.get_by_role("link", name=session.title).click()
    assert "Brilliant and clear" in page.content()
    assert page.get_by_role("heading", name="Overall quality of the session").is_visible()
    assert_accessible(page)
    login(phone_page, tutor.email)
    for url in ["/feedback/mine/teaching/", f"/feedback/mine/teaching/{session.pk}/"]:
        phone_page.goto(url)
        assert_fits_320(phone_page)
        assert_accessible(phone_page)


def test_committee_pages_are_accessible(page, phone_page):
    tutor = TutorFactory()
    session, students = past_session(attendees=3, tutors=[tutor], days_ago=20)
    with time_machine.travel(session.ends_at + timedelta(hours=1), tick=False):
        for s in students:
            give_feedback(s, session, text="Please share the slides")
    committee = CommitteeFactory()
    login(page, committee.email)
    for url in [
        "/committee/feedback/",
        "/committee/feedback/review/",
        "/committee/feedback/report/",
        f"/feedback/sessions/{session.pk}/observe/",
        "/feedback/certificates/",
        "/committee/feedback/forms/",
        f"/committee/feedback/forms/{FeedbackForm.objects.get().pk}/",
    ]:
        page.goto(url)
        assert_accessible(page)
    login(phone_page, committee.email)
    for url in ["/committee/feedback/", "/committee/feedback/report/"]:
        phone_page.goto(url)
        assert_fits_320(phone_page)
        assert_accessible(phone_page)
    page.context.clear_cookies()
    login(page, tutor.email)
    page.goto("/feedback/certificates/")
    page.get_by_label("From").fill(session.starts_at.date().isoformat())
    page.get_by_label("To").fill(session.starts_at.date().isoformat())
    page.get_by_role("button", name="Create teaching certificate").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("link", name="Verification page").first.click()
    assert "Valid" in page.content()
    assert_accessible(page)
