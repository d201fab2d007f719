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


def test_committee_finds_a_time_from_the_dashboard(page):
    from sessions_app.smallgroups import services
    from tests.factories.core import CommitteeFactory

    chair = CommitteeFactory()
    ada, ben = UserFactory(full_name="Ada Lovelace"), UserFactory(full_name="Ben Jones")
    services.save_week(ada, range(36, 40))
    services.save_week(ben, [36, 37])
    login(page, chair.email)
    page.goto("/committee/")
    page.get_by_role("link", name="Find a time").click()
    page.get_by_label("Who (one email a line)").fill(f"{ada.email}\n{ben.email}")
    page.get_by_label("From").fill("2027-03-01")
    page.get_by_label("To").fill("2027-03-01")
    page.get_by_role("button", name="Find times").click()
    page.wait_for_load_state()
    assert page.get_by_text("Cannot make it: Ben Jones").first.is_visible()
    assert_accessible(page)
