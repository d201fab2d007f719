"""The committee verifies a member's year and confirms a new name, by keyboard."""

import pytest

from meded.models import User
from tests.browser.conftest import assert_accessible, login
from tests.factories import CommitteeFactory, TutorFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_committee_verifies_a_year_from_the_dashboard(page):
    tutor = TutorFactory(full_name="Priya Tutor", year_of_study="2")
    User.objects.filter(pk=tutor.pk).update(year_of_study="6")
    login(page, CommitteeFactory().email)
    page.goto("/committee/")
    page.get_by_role("link", name="Years of study").click()
    assert_accessible(page)
    button = page.get_by_role("button", name="Verify Year 6 for Priya Tutor")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_text("year verified as Year 6").wait_for()
    assert_accessible(page)
    assert User.objects.get(pk=tutor.pk).verified_year == "6"
