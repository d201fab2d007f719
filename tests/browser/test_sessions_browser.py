"""A student filters, books, sees it in My bookings and cancels; pages pass axe and fit 320 px."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sessions_app.models import Booking
from tests.browser.conftest import assert_accessible, assert_fits_320, login
from tests.factories.core import CommitteeFactory, TopicFactory, TutorFactory, UserFactory, year
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def term():
    tutor = TutorFactory(full_name="Tess Tutor")
    topic = TopicFactory(title="Heart failure", years=[3])
    wanted = TeachingSessionFactory(
        title="Heart failure OSCE practice",
        kind="clinical_skills",
        topic=topic,
        tutors=[tutor],
        target_years=[year(3)],
        capacity=6,
        venue="Clinical Skills Lab",
    )
    TeachingSessionFactory(
        title="Renal physiology lecture",
        delivery="online",
        venue="",
        join_link="https://meet.example.test/renal",
        target_years=[year(3)],
    )
    full = TeachingSessionFactory(title="Full mock exam", kind="mock_exam", capacity=1)
    BookingFactory(session=full)
    return wanted, full, tutor


def test_student_filters_books_sees_it_and_cancels(page, term):
    student = UserFactory(email="stu@demo.meded.test", year_of_study="3")
    login(page, student.email)
    page.goto("/sessions/")
    assert_accessible(page)
    page.select_option("#id_kind", "clinical_skills")
    page.get_by_role("button", name="Show sessions").click()
    assert page.get_by_role("link", name="Heart failure OSCE practice").is_visible()
    assert page.get_by_role("link", name="Renal physiology lecture").count() == 0
    page.get_by_role("link", name="Heart failure OSCE practice").click()
    assert_accessible(page)
    page.get_by_role("button", name="Book a place").click()
    assert page.get_by_text("You are booked").first.is_visible()
    page.goto("/sessions/mine/")
    assert page.get_by_role("link", name="Heart failure OSCE practice", exact=True).is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Cancel for Heart failure OSCE practice").click()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, cancel my place").click()
    assert page.get_by_text("Your booking is cancelled").is_visible()
    assert Booking.objects.get(student=student).status == "cancelled"


def test_booking_page_on_a_phone(phone_page, term):
    wanted, full, _ = term
    student = UserFactory(year_of_study="3")
    login(phone_page, student.email)
    for url in (
        "/sessions/",
        f"/sessions/{wanted.pk}/",
        f"/sessions/{full.pk}/",
        "/sessions/mine/",
    ):
        phone_page.goto(url)
        assert_fits_320(phone_page)
    phone_page.goto(f"/sessions/{full.pk}/")
    button = phone_page.get_by_role("button", name="Join the waiting list")
    box = button.bounding_box()
    assert box["width"] >= 200 and box["height"] >= 44  # full-width, easy to tap
    button.click()
    assert phone_page.get_by_text("number 1").first.is_visible()
    assert_fits_320(phone_page)
    assert_accessible(phone_page)


def test_committee_pages_are_accessible(page, term):
    wanted, _, _ = term
    committee = CommitteeFactory()
    login(page, committee.email)
    for url in (
        "/committee/sessions/",
        "/committee/sessions/new/",
        f"/committee/sessions/{wanted.pk}/",
        "/committee/sessions/no-shows/",
        "/sessions/calendar/",
        "/sessions/calendar/?view=week",
        f"/sessions/{wanted.pk}/register/",
    ):
        page.goto(url)
        assert_accessible(page)


def test_offer_to_claim_and_checkin(page, term):
    wanted, _, _ = term
    student = UserFactory(year_of_study="3")
    BookingFactory(
        session=wanted,
        student=student,
        status="offered",
        offer_expires_at=timezone.now() + timedelta(hours=2),
    )
    login(page, student.email)
    page.goto("/")
    assert page.get_by_text("A place is waiting for you").is_visible()
    assert_accessible(page)
    page.goto(f"/sessions/{wanted.pk}/")
    page.get_by_role("button", name="Claim my place").click()
    assert page.get_by_text("The place is yours").is_visible()
    page.goto("/accounts/profile/")
    assert (
        page.locator("#calendar-feed-url")
        .input_value()
        .endswith(f"/calendar/{student.calendar_token}.ics")
    )
    assert_accessible(page)


def test_student_and_committee_pages_pass_axe_at_320px(phone_page, term):
    wanted, full, _ = term
    BookingFactory(session=wanted, student=UserFactory(year_of_study="3"))
    student = UserFactory(year_of_study="3")
    BookingFactory(session=full, student=student, status="waiting")
    login(phone_page, student.email)
    for url in (
        "/sessions/",
        "/sessions/?year=&topic=" + wanted.topic.code,
        f"/sessions/{wanted.pk}/",
        "/sessions/mine/",
        "/sessions/calendar/",
    ):
        phone_page.goto(url)
        assert_fits_320(phone_page)
        assert_accessible(phone_page)
    phone_page.context.clear_cookies()
    login(phone_page, CommitteeFactory().email)
    for url in (
        "/committee/sessions/",
        "/committee/sessions/new/",
        f"/committee/sessions/{wanted.pk}/",
        f"/committee/sessions/{wanted.pk}/cancel/",
        "/committee/sessions/no-shows/",
        "/committee/sessions/from-allocation/",
        f"/sessions/{wanted.pk}/register/",
    ):
        phone_page.goto(url)
        assert_fits_320(phone_page)
        assert_accessible(phone_page)


def test_topic_filter_finds_the_topics_sessions(page, term):
    wanted, _, _ = term
    login(page, UserFactory(year_of_study="3").email)
    page.goto("/sessions/")
    page.select_option("#id_topic", wanted.topic.code)
    page.get_by_role("button", name="Show sessions").click()
    assert page.get_by_role("link", name="Heart failure OSCE practice").is_visible()
    assert page.get_by_role("link", name="Renal physiology lecture").count() == 0
    assert_accessible(page)
