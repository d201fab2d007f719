"""A small-group programme reviewed and published on a 320 px phone: the committee moves a
student (a refused move is explained by the field), locks a group, checks the emails and
publishes; axe finds nothing on any page and nothing scrolls sideways."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from sessions_app.booking.models import Booking
from sessions_app.smallgroups import proposal
from sessions_app.smallgroups.programme_models import Enrolment, GroupMember
from tests.browser.conftest import assert_accessible, assert_fits_320, login
from tests.factories.core import CommitteeFactory
from tests.sessions_app.smallgroups.programme_support import MON_18, TUE_18, member, programme_with

pytestmark = pytest.mark.django_db(transaction=True)


def test_review_and_publish_a_programme_on_a_phone(phone_page):
    page = phone_page
    programme, (mon, tue), (a, _b, _c) = programme_with(
        first_day=timezone.localdate() + timedelta(days=14),
        weeks=3,
        size=3,
        leaders=[(MON_18, 1), (TUE_18, 1)],
        students=[MON_18, [*MON_18, *TUE_18], TUE_18],
    )
    proposal.run(programme)
    boss = CommitteeFactory()
    login(page, boss.email)
    page.goto("/committee/")
    page.get_by_role("link", name="Small-group programmes", exact=True).click()
    page.get_by_role("link", name=programme.title).click()
    page.wait_for_load_state()
    assert_fits_320(page)
    assert_accessible(page)
    # a refused move: a is free on Mondays only
    tuesday = programme.groups.get(tutor=tue)
    page.get_by_label("Student", exact=True).select_option(str(a.pk))
    page.get_by_label("To the group", exact=True).select_option(str(tuesday.pk))
    page.get_by_role("button", name="Move", exact=True).click()
    page.wait_for_load_state()
    assert "is not free on Tue at 18:00" in page.locator("#id_group-error").inner_text()
    assert_accessible(page)
    assert GroupMember.objects.get(student=a).group.tutor == mon
    page.get_by_role("button", name=re.compile(r"^Lock the group of .*Mon 18:00")).click()
    page.wait_for_load_state()
    assert programme.groups.get(tutor=mon).locked
    assert_fits_320(page)
    page.get_by_role("link", name="Publish: check the emails first").click()
    page.wait_for_load_state()
    assert_fits_320(page)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and email 5 people").click()
    page.wait_for_load_state()
    assert "You can undo it until then" in page.content()
    assert_accessible(page)
    programme.refresh_from_db()
    assert programme.is_published
    assert Booking.objects.filter(status="confirmed").count() == 3 * 3


def test_a_student_signs_up_from_the_home_page_on_a_phone(phone_page):
    page = phone_page
    programme, _, _ = programme_with(
        first_day=timezone.localdate() + timedelta(days=14), leaders=[(MON_18, 1)]
    )
    student = member(cells=MON_18)
    login(page, student.email)
    page.goto("/")
    page.get_by_role("link", name="Your small groups").click()
    page.wait_for_load_state()
    assert_fits_320(page)
    assert_accessible(page)
    page.get_by_role("button", name=f"Sign up for {programme.title}").click()
    page.wait_for_load_state()
    assert "You are signed up" in page.content()
    assert_accessible(page)
    assert Enrolment.objects.filter(programme=programme, student=student).exists()
