"""The availability grid by keyboard at 320 px: arrows move, Space ticks, Shift extends."""

import pytest

from sessions_app.smallgroups.models import WeeklyAvailability
from tests.browser.conftest import assert_accessible, assert_fits_320, login
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_student_sets_their_week_by_keyboard_on_a_phone(phone_page):
    page = phone_page
    student = UserFactory()
    login(page, student.email)
    page.goto("/accounts/profile/")
    page.get_by_role("link", name="My availability").click()
    assert_fits_320(page)
    assert_accessible(page)
    first = page.locator("[data-availability-grid] input").first  # Mon 08:00
    first.focus()
    page.keyboard.press("ArrowDown")  # Mon 08:30
    page.keyboard.press("Space")
    page.keyboard.press("Shift+ArrowDown")  # Mon 09:00 takes the same state
    page.keyboard.press("Shift+ArrowRight")  # Tue 09:00 too
    page.keyboard.press("ArrowDown")  # moving without Shift changes nothing
    focused = page.evaluate("document.activeElement.value")
    assert focused == str(48 + 19)  # Tue 09:30
    page.get_by_role("button", name="Save my week").click()
    page.wait_for_load_state()
    assert page.get_by_text("Your week is saved.").is_visible()
    assert WeeklyAvailability.objects.get(member=student).free_cells == [17, 18, 48 + 18]
    assert_accessible(page)
