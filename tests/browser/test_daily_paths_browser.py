"""The daily paths of issue 19, by keyboard only, at 1280 px and 375 px, with axe: ranking in
the page, this week's sessions with a skip link, cancel with undo, the recording player, the
feedback error summary, and the sideways-scrolling tables as focusable labelled regions."""

from __future__ import annotations

import contextlib
import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from sessions_app.booking.services import notify_cancelled
from sessions_app.models import Booking
from sessions_app.resources import sample_files
from tests.browser.conftest import assert_accessible, login
from tests.factories.allocation import OfferingFactory, accepted_tutor, ranking_round
from tests.factories.core import CommitteeFactory, UserFactory, year
from tests.factories.feedback import past_session
from tests.factories.resources import ResourceFactory, ResourceVersionFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory
from tutors.models import Ranking

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=[1280, 375], ids=["laptop", "phone"])
def any_page(request, chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": request.param, "height": 800}
    )
    context.set_default_timeout(30_000)
    pg = context.new_page()
    pg.width = request.param
    yield pg
    context.close()


def focused(page) -> str:
    """The focused element as "id|text" ("BODY|" when nothing in particular has focus)."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " if (!e || e === document.body) return 'BODY|';"
        " return (e.id || '') + '|'"
        " + (e.textContent || e.value || '').replace(/\\s+/g, ' ').trim().slice(0, 120); }"
    )


def press(page, key="Enter") -> None:
    page.keyboard.press(key)


def test_tutor_ranks_in_the_page_by_keyboard_and_focus_stays(any_page):
    page = any_page
    rnd = ranking_round(min_rank=3, max_rank=5)
    for i in range(4):
        OfferingFactory(round=rnd, topic__code=f"K-{i}", topic__title=f"Topic {i}")
    tutor = accepted_tutor(rnd, email=f"rank{page.width}@demo.meded.test")
    login(page, tutor.email)
    page.goto("/tutors/rankings/")
    page.evaluate("window.__samePage = true")
    page.get_by_role("button", name="Add K-0 to your ranking").focus()
    press(page)
    assert "Add K-1" in focused(page)  # focus moves on to the next topic's Add
    press(page)
    press(page)
    assert page.evaluate("window.__samePage") is True  # no reload
    page.get_by_role("button", name=re.compile("move K-2 up")).focus()
    press(page)
    assert "move K-2 up" in focused(page)
    press(page)
    assert "move K-2 down" in focused(page)  # Up is disabled at the top: focus stays on K-2
    assert page.locator("#ranking-dirty").is_visible()
    # the live region is updated after the move is drawn: wait for it like a screen reader would
    expect(page.locator("[role=status]").last).to_contain_text("moved to position 1")
    assert_accessible(page)
    # Leaving with unsaved changes asks first.
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.type), d.dismiss()))
    with contextlib.suppress(PlaywrightError):  # the dismissed prompt cancels the navigation
        page.goto("/", wait_until="commit", timeout=5_000)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith("/tutors/rankings/")
    page.get_by_role("button", name="Save ranking").focus()
    with page.expect_navigation():
        press(page)
    assert "is saved" in page.content()
    ranked = Ranking.objects.filter(round=rnd, tutor=tutor).order_by("rank")
    assert list(ranked.values_list("offering__topic__code", flat=True)) == ["K-2", "K-0", "K-1"]


def test_this_week_with_a_skip_link_past_the_filters(any_page):
    page = any_page
    now = timezone.localtime()
    soon = now + timedelta(hours=2) if now.weekday() < 6 or now.hour < 20 else now
    TeachingSessionFactory(
        title="This week's OSCE practice",
        starts_at=soon,
        ends_at=soon + timedelta(hours=1),
        target_years=[year(3)],
    )
    login(page, UserFactory(year_of_study="3").email)
    page.goto("/sessions/")
    tabs = 0
    while "Skip to the sessions" not in focused(page):
        press(page, "Tab")
        tabs += 1
        assert tabs < 25, "the skip link should come early in the tab order"
    press(page)
    assert focused(page).startswith("results|")
    assert page.get_by_role("link", name="This week's OSCE practice").is_visible()
    assert page.get_by_role("link", name="Next week").is_visible()
    panel_open = page.evaluate("document.querySelector('details[data-collapse-narrow]').open")
    assert panel_open is (page.width > 576)  # folded on a phone
    assert_accessible(page)


def test_cancel_asks_first_and_can_be_undone_by_keyboard(any_page):
    page = any_page
    booking = BookingFactory(
        session=TeachingSessionFactory(title="Renal tutorial", capacity=5),
        student=UserFactory(),
    )
    login(page, booking.student.email)
    page.goto(f"/sessions/{booking.session.pk}/")
    assert page.get_by_role("link", name=re.compile("^Google")).is_visible()
    page.get_by_role("link", name="Cancel my booking…").focus()
    with page.expect_navigation():
        press(page)
    assert page.get_by_role("heading", name="Cancel your place?").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, cancel my place").focus()
    with page.expect_navigation():
        press(page)
    assert page.get_by_text("Your booking is cancelled").first.is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Undo").focus()
    with page.expect_navigation():
        press(page)
    assert page.get_by_text("your place is back").is_visible()
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"


def test_recording_plays_in_the_page_with_speed_resume_and_chapters(any_page):
    page = any_page
    session = TeachingSessionFactory(title="Cardiac cycle")
    recording = ResourceFactory(session=session, kind="recording", title="Cardiac recording")
    ResourceVersionFactory(
        resource=recording,
        content=sample_files.demo_recording(),
        filename="cardiac.mp4",
        content_type="video/mp4",
    )
    recording.captions.save("c.vtt", ContentFile(sample_files.vtt_bytes()))
    recording.chapters = "0:00 Welcome\n0:02 Key facts"
    recording.save()
    ResourceFactory(session=session, kind="slides", title="Cardiac slides", with_file=True)
    login(page, UserFactory().email)
    page.goto(f"/resources/{recording.pk}/")
    page.wait_for_function("document.querySelector('video').readyState >= 1")
    # Slides beside the video on a laptop, below it on a phone.
    video_box = page.locator("video").bounding_box()
    slides_box = page.get_by_role("heading", name="Slides").bounding_box()
    if page.width >= 992:
        assert slides_box["x"] > video_box["x"] + video_box["width"] - 1
    else:
        assert slides_box["y"] > video_box["y"] + video_box["height"] - 1
    page.get_by_label("Speed").focus()
    page.keyboard.press("End")  # 2x, chosen by keyboard
    assert page.evaluate("document.querySelector('video').playbackRate") == 2
    page.get_by_role("link", name=re.compile("Key facts")).focus()
    press(page)
    assert page.evaluate("document.querySelector('video').currentTime") == pytest.approx(2, abs=0.3)
    page.wait_for_timeout(100)
    page.evaluate(f"localStorage.setItem('meded:resume:{recording.pk}', '2.5')")
    assert_accessible(page)
    page.reload()
    page.wait_for_function("document.querySelector('video').readyState >= 1")
    assert page.evaluate("document.querySelector('video').playbackRate") == 2  # remembered
    assert page.get_by_label("Speed").input_value() == "2"
    assert "Resumed at 0:02" in page.locator("[data-resume-status]").text_content()
    page.get_by_role("button", name="Start from the beginning").focus()
    press(page)
    assert page.evaluate("document.querySelector('video').currentTime") == 0
    assert page.locator("video track[kind=captions]").count() == 1


def test_feedback_error_summary_takes_focus_and_targets_are_big_enough(any_page):
    page = any_page
    session, (student,) = past_session(attendees=1)
    login(page, student.email)
    page.goto(f"/feedback/sessions/{session.pk}/")
    page.get_by_label("I attended live").check()
    page.get_by_role("button", name="Send feedback").focus()
    with page.expect_navigation():
        press(page)
    page.wait_for_function(
        "document.activeElement && document.activeElement.id === 'error-summary'"
    )
    assert_accessible(page)
    sizes = page.evaluate(
        "[...document.querySelectorAll('.fb-scale input')].map(i => {"
        " const r = i.getBoundingClientRect(); return Math.min(r.width, r.height); })"
    )
    assert sizes and min(sizes) >= 24
    # A 1-5 scale lays out in even rows: every row has the same number of options.
    tops = page.evaluate(
        "[...document.querySelector('.fb-scale--likert').children]"
        ".map(c => c.getBoundingClientRect().top)"
    )
    rows = {}
    for top in tops:
        rows[round(top)] = rows.get(round(top), 0) + 1
    assert len(set(rows.values())) == 1
    page.locator("#error-summary a").first.focus()
    press(page)
    assert page.evaluate("document.activeElement.type") == "radio"


def test_wide_tables_scroll_in_a_focusable_labelled_region(any_page):
    page = any_page
    chair = CommitteeFactory()
    login(page, chair.email)
    rnd = ranking_round()
    OfferingFactory(round=rnd, topic__code="W-1", topic__title="Wide table topic")
    past = TeachingSessionFactory(
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=1),
    )
    BookingFactory(session=past, attended=False)
    notify_cancelled(BookingFactory())  # one email in the outbox
    for url in (
        "/committee/outbox/",
        "/committee/curriculum/",
        f"/committee/rounds/{rnd.pk}/rankings/",
        "/committee/sessions/no-shows/",
    ):
        page.goto(url)
        region = page.locator(".table-responsive").first
        assert region.get_attribute("tabindex") == "0", url
        assert region.get_attribute("role") == "region", url
        assert region.get_attribute("aria-label") or region.get_attribute("aria-labelledby"), url
        assert_accessible(page)
