"""The privacy notice, deleting one's account by keyboard, and the committee's erasure preview:
accessible (axe, WCAG 2.2 AA) and reflowing at 320 px."""

import pytest

from meded.accounts.models import User
from tests.browser.conftest import assert_accessible, assert_fits_320, login
from tests.factories import CommitteeFactory, UserFactory
from tests.factories.sessions import BookingFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_privacy_notice_is_linked_from_the_footer_and_reflows(phone_page):
    phone_page.goto("/")
    phone_page.get_by_role("link", name="Privacy notice").click()
    phone_page.wait_for_load_state()
    assert phone_page.locator("h1").inner_text() == "Privacy notice"
    assert "6 months" in phone_page.content()
    assert_accessible(phone_page)
    assert_fits_320(phone_page)


def test_a_member_deletes_their_account_by_keyboard(page):
    member = UserFactory(email="ada@demo.meded.test", full_name="Ada Lovelace")
    login(page, member.email)
    page.goto("/accounts/profile/")
    page.get_by_role("link", name="Delete my account").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.locator("#id_password").focus()
    page.keyboard.type("test-password-2026")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the "I understand" box
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Delete my account
    assert "Your account is deleted" in page.content()
    assert_accessible(page)
    assert User.objects.get(pk=member.pk).erased_at is not None


def test_the_committee_preview_is_accessible(page):
    committee = CommitteeFactory(email="chair@demo.meded.test")
    member = BookingFactory().student
    login(page, committee.email)
    page.goto("/committee/members/erase/")
    assert_accessible(page)
    page.locator("#id_member").fill(member.email)
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Erase this account for good").is_visible()
    assert_accessible(page)
