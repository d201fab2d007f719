"""A new member signs up with a university email, follows the email link and lands home."""

import re

import pytest
from django.core import mail

from tests.browser.conftest import assert_accessible, assert_fits_320, login
from tests.factories import CommitteeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_signup_verify_and_sign_in_end_to_end(page):
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Join with your university email").click()
    assert_accessible(page)
    page.locator("#id_full_name").fill("Grace Hopper")
    page.locator("#id_email").fill("grace@demo.meded.test")
    page.locator("#id_year_of_study").select_option("4")
    page.locator("#id_password1").fill("a-long-passphrase-2026")
    page.locator("#id_password2").fill("a-long-passphrase-2026")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "Verify Your Email Address" in page.content() or "verif" in page.url
    assert_accessible(page)

    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto("/accounts/" + link.split("/accounts/", 1)[1])
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Hello, Grace"
    assert_accessible(page)


def test_signup_with_a_personal_email_shows_the_reason_next_to_the_field(page):
    page.goto("/accounts/signup/")
    page.locator("#id_full_name").fill("Grace Hopper")
    page.locator("#id_email").fill("grace@gmail.com")
    page.locator("#id_password1").fill("a-long-passphrase-2026")
    page.locator("#id_password2").fill("a-long-passphrase-2026")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "Please sign up with your university email address" in page.content()
    assert_accessible(page)


def test_login_profile_and_preferences_pages_are_accessible(page):
    user = UserFactory(email="alan@demo.meded.test", full_name="Alan Turing")
    page.goto("/accounts/login/")
    assert_accessible(page)
    login(page, user.email)
    page.goto("/accounts/profile/")
    assert page.locator("h1").inner_text() == "Your profile"
    assert_accessible(page)
    page.locator("#id_full_name").fill("Alan M. Turing")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "Your profile is saved." in page.content()
    page.goto("/accounts/notifications/")
    assert_accessible(page)


def test_committee_dashboard_and_outbox_are_accessible(page):
    login(page, CommitteeFactory().email)
    for path in ["/committee/", "/committee/outbox/"]:
        page.goto(path)
        assert_accessible(page)


def test_a_denied_member_is_told_why(page):
    login(page, UserFactory().email)
    page.goto("/committee/")
    assert "This page is for the society's committee." in page.content()
    assert_accessible(page)


def test_pages_reflow_at_320_px_and_keyboard_reaches_the_skip_link(phone_page):
    page = phone_page
    user = UserFactory()
    login(page, user.email)
    for path in ["/", "/accounts/profile/", "/accounts/notifications/"]:
        page.goto(path)
        assert_fits_320(page)
        assert_accessible(page)
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
