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
    page.get_by_label("Or pick people (one email a line)").fill(f"{ada.email}\n{ben.email}")
    page.get_by_label("From").fill("2027-03-01")
    page.get_by_label("To").fill("2027-03-01")
    page.get_by_role("button", name="Find times").click()
    page.wait_for_load_state()
    assert page.get_by_text("Cannot make it: Ben Jones").first.is_visible()
    assert_accessible(page)


def test_committee_reads_the_heat_map_and_makes_a_session_from_a_slot_on_a_phone(phone_page):
    """At 320 px, by keyboard: the heat map scrolls in its own region, counts are text, and
    one slot becomes a session whose invitations are previewed before anything is sent."""
    from sessions_app.scheduling.models import TeachingSession
    from sessions_app.smallgroups import busy_times, services
    from tests.factories.core import CommitteeFactory, TutorFactory

    page = phone_page
    chair, tutor = CommitteeFactory(), TutorFactory(full_name="Tess Tutor")
    ada, ben = UserFactory(full_name="Ada Lovelace"), UserFactory(full_name="Ben Jones")
    for member in (tutor, ada, ben):
        services.save_week(member, range(36, 40))  # Monday 18:00-20:00
    busy_times.import_file(
        ben,
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:1\r\n"
        b"DTSTART:20270329T170000Z\r\nDTEND:20270329T180000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    login(page, chair.email)
    page.goto("/committee/find-a-time/")
    page.get_by_label("Who", exact=True).select_option("")
    page.get_by_label("Or pick people (one email a line)").fill(
        f"{tutor.email}\n{ada.email}\n{ben.email}"
    )
    page.get_by_label("From").fill("2027-03-29")
    page.get_by_label("To").fill("2027-03-29")
    page.get_by_label("To").press("Enter")
    page.wait_for_load_state()
    assert page.get_by_text("Cannot make it: Ben Jones").first.is_visible()
    region = page.get_by_role("region", name="Heat map, scrolls sideways")
    region.focus()
    page.keyboard.press("ArrowRight")  # the wide table scrolls inside its region
    assert_fits_320(page)
    assert_accessible(page)
    page.get_by_role("link", name="Create a session at this time on Mon 29 Mar, 19:00").click()
    page.wait_for_load_state()
    assert page.get_by_label("Tess Tutor").is_checked()
    page.get_by_label("Title").fill("Renal group 1")
    page.get_by_label("Room").fill("Room 4")
    assert_fits_320(page)
    assert_accessible(page)
    page.get_by_role("button", name="Create the session, then preview the invitations").click()
    page.wait_for_load_state()
    assert page.get_by_text("Ada Lovelace").first.is_visible()
    assert TeachingSession.objects.get(title="Renal group 1").status == "draft"
    assert_accessible(page)


def test_member_imports_a_calendar_file_on_a_phone(phone_page, tmp_path):
    page = phone_page
    student = UserFactory()
    calendar = tmp_path / "me.ics"
    calendar.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:1\r\n"
        b"DTSTART;TZID=Europe/London:20270329T180000\r\n"
        b"DTEND;TZID=Europe/London:20270329T193000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    login(page, student.email)
    page.goto("/availability/")
    page.get_by_label("Calendar file (.ics)").set_input_files(str(calendar))
    page.get_by_role("button", name="Import busy times").click()
    page.wait_for_load_state()
    assert page.get_by_text("1 busy time(s) imported").is_visible()
    assert page.get_by_text("Mon 29 Mar 2027, 18:00 \u2013 19:30").is_visible()
    assert_fits_320(page)
    assert_accessible(page)
    page.get_by_label("Calendar feed address").fill("http://127.0.0.1/cal.ics")
    page.get_by_role("button", name="Read my calendar feed").click()
    page.wait_for_load_state()
    assert page.get_by_text("points inside a private network").is_visible()
    assert_accessible(page)
