"""Apply -> shortlist -> book interview -> score -> accept -> release, every page axe-scanned."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meded.models import SentEmail
from meded.roles import is_tutor
from tests.browser.conftest import assert_accessible, assert_fits_320, login
from tests.factories import CommitteeFactory, UserFactory
from tests.factories.tutors import RecruitmentRoundFactory
from tutors.models import Application, Question, RecruitmentRound
from tutors.recruitment.services.recruitment import add_default_rubric

pytestmark = pytest.mark.django_db(transaction=True)


def switch(page, email):
    page.context.clear_cookies()
    login(page, email)


def test_recruitment_end_to_end(page):
    round = RecruitmentRoundFactory(name="2026/27 Term 2")
    add_default_rubric(round)
    Question.objects.create(
        round=round,
        kind="single_choice",
        label="Preferred format",
        choices="Lecture\nTutorial",
        required=True,
    )
    applicant = UserFactory(full_name="Ada Applicant", year_of_study="6")
    chair = CommitteeFactory(full_name="Chris Chair")

    # apply
    login(page, applicant.email)
    page.goto("/tutors/apply/")
    assert_accessible(page)
    page.locator("#id_year_of_study").select_option("6")
    page.locator("#id_motivation").fill("I love explaining physiology.")
    page.locator("#id_experience").fill("Peer tutor in year 3.")
    page.locator("#id_strengths").fill("Cardiology")
    page.get_by_label("Weekends").check()
    page.get_by_label("Tutorial").check()
    page.get_by_role("button", name="Submit application").click()
    page.wait_for_load_state()
    assert "Application submitted" in page.content()
    assert_accessible(page)
    app = Application.objects.get(applicant=applicant)
    assert app.status == "submitted"

    # applications close and interviews begin (the committee releases only after the close,
    # and interview slots lie within the round's interview dates)
    now = timezone.now()
    RecruitmentRound.objects.filter(pk=round.pk).update(
        applications_close=now - timedelta(minutes=1), interviews_open=now
    )

    # committee shortlists and publishes a slot
    switch(page, chair.email)
    page.goto("/committee/rounds/")
    assert_accessible(page)
    page.get_by_role("link", name="2026/27 Term 2", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Applications & decisions", exact=True).click()
    assert_accessible(page)
    page.get_by_label(f"Select {app.reference}").check()
    page.locator("#bulk-action").select_option("shortlist")
    page.get_by_role("button", name="Apply to selected").click()
    page.wait_for_load_state()
    assert_accessible(page)  # the invitation's preview: who, what
    page.get_by_role("button", name="Confirm and email 1 person").click()
    page.wait_for_load_state()
    assert "Confirmed: 1 email(s) held" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Back to where this was sent from").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Interviews", exact=True).click()
    assert_accessible(page)
    start = timezone.localtime() + timedelta(days=3)
    page.locator("#id_starts_at").fill(start.strftime("%Y-%m-%dT10:00"))
    page.locator("#id_location").fill("Room 2.14")
    page.get_by_label("Chris Chair").check()
    page.get_by_role("button", name="Publish slot").click()
    page.wait_for_load_state()
    assert "Slot published" in page.content()
    assert_accessible(page)

    # applicant books
    switch(page, applicant.email)
    page.goto("/tutors/")
    assert_accessible(page)
    page.get_by_role("link", name="Choose an interview time").click()
    assert_accessible(page)
    page.get_by_role("button", name="Book").click()
    page.wait_for_load_state()
    assert "Interview booked" in page.content()
    assert_accessible(page)
    assert SentEmail.objects.filter(recipient=applicant, kind="tutors_interview_booked").exists()

    # committee scores, accepts and releases
    switch(page, chair.email)
    page.goto(f"/committee/rounds/{round.pk}/applications/{app.pk}/")
    assert_accessible(page)
    for c in round.criteria.filter(stage="review"):
        page.locator(f"input[name='review-c_{c.pk}'][value='4']").check()
    page.get_by_role("button", name="Save score").click()
    page.wait_for_load_state()
    assert "Your score is saved" in page.content()
    assert_accessible(page)
    for c in round.criteria.filter(stage="interview"):
        page.locator(f"input[name='interview-c_{c.pk}'][value='5']").check()
    page.locator("#id_interview-recommendation").select_option("accept")
    page.get_by_role("button", name="Save interview score").click()
    page.wait_for_load_state()
    assert "Interview score saved" in page.content()
    assert_accessible(page)
    page.locator("#id_decision-decision").select_option("accept")
    page.locator("#id_decision-message").fill("Welcome aboard!")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.goto(f"/committee/rounds/{round.pk}/applications/")
    page.get_by_role("link", name="Release 1 decision: check the emails first").click()
    page.wait_for_load_state()
    assert "Who: 1 person" in page.content() and "Welcome aboard!" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and email 1 person").click()
    page.wait_for_load_state()
    assert "You can undo it until then" in page.content()
    assert_accessible(page)
    page.goto(f"/committee/rounds/{round.pk}/roster/")
    assert "Ada Applicant" in page.content()
    assert_accessible(page)

    # applicant sees the decision and is now a tutor
    switch(page, applicant.email)
    page.goto("/tutors/")
    assert "You are a tutor" in page.content()
    assert_accessible(page)
    applicant.refresh_from_db()
    assert is_tutor(applicant)


def test_review_list_reflows_at_320px(phone_page):
    round = RecruitmentRoundFactory()
    add_default_rubric(round)
    chair = CommitteeFactory()
    for _ in range(3):
        Application.objects.create(
            round=round, applicant=UserFactory(), status="submitted", submitted_at=timezone.now()
        )
    login(phone_page, chair.email)
    for url in (
        f"/committee/rounds/{round.pk}/applications/",
        f"/committee/rounds/{round.pk}/",
        f"/committee/rounds/{round.pk}/slots/",
        f"/committee/rounds/{round.pk}/roster/",
        "/committee/rounds/",
        "/committee/rounds/new/",
        "/tutors/apply/",
    ):
        phone_page.goto(url)
        assert_accessible(phone_page)
        assert_fits_320(phone_page)
