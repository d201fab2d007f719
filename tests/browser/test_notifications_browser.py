"""Email pages in a real browser: preferences, the unsubscribe confirmation and the committee
outbox are accessible (axe, WCAG 2.2 AA) and reflow at 320 px."""

import pytest

from meded.models import SentEmail
from meded.notifications.tokens import unsubscribe_token
from tests.browser.conftest import assert_accessible, assert_fits_320, login
from tests.factories import CommitteeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_turns_reminders_off_and_unsubscribes_from_feedback(page, phone_page):
    member = UserFactory(email="ada@demo.meded.test")
    login(page, member.email)
    page.goto("/accounts/notifications/")
    assert_accessible(page)
    page.get_by_label("Reminders before sessions you have booked").uncheck()
    page.get_by_role("button", name="Save preferences").click()
    page.wait_for_load_state()
    assert "preferences are saved" in page.content()
    assert not page.get_by_label("Reminders before sessions you have booked").is_checked()

    phone_page.goto(f"/accounts/unsubscribe/{unsubscribe_token(member, 'feedback')}/")
    assert_accessible(phone_page)
    assert_fits_320(phone_page)
    phone_page.get_by_role("button", name="Unsubscribe").click()
    phone_page.wait_for_load_state()
    assert "Done." in phone_page.content()
    assert_accessible(phone_page)


def test_the_outbox_is_accessible_and_reflows(page, phone_page):
    committee = CommitteeFactory(email="chair@demo.meded.test")
    for n in range(3):
        user = UserFactory()
        SentEmail.objects.create(
            recipient=user,
            to_email=user.email,
            kind="session_reminder",
            object_key=f"x:{n}",
            status=SentEmail.Status.FAILED if n == 0 else SentEmail.Status.SENT,
            subject="Tomorrow: Renal physiology, Mon 23 Nov, 09:00",
            body_text="Hello",
            last_error="SMTPRecipientsRefused: 550 no such user" if n == 0 else "",
        )
    for pg in (page, phone_page):
        login(pg, committee.email)
        pg.goto("/committee/outbox/?status=failed")
        assert "550 no such user" in pg.content()
        assert_accessible(pg)
    assert_fits_320(phone_page)
    # a bad filter: the message sits next to its field and the page stays accessible
    page.goto("/committee/outbox/?since=2026-11-20&until=2026-11-01")
    error = page.locator("#id_until-errors")
    assert error.inner_text() == "The end date is before the start date."
    assert page.get_by_label("To").get_attribute("aria-describedby") == "id_until-errors"
    assert_accessible(page)
