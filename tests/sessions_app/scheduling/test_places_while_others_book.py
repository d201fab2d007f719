"""At the start of term somebody books every few milliseconds: the sessions pages keep their
remembered content through other members' bookings (it reads no booking), and still show the
places as they are right after each booking, and the member's own place, on every request."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sessions_app import home
from sessions_app.booking import services as booking
from sessions_app.booking.state import badge_html, booking_state, fill_places, places_hole
from sessions_app.models import Resource
from sessions_app.scheduling.models import TeachingSession
from sessions_app.scheduling.views import browse
from tests.factories.core import TutorFactory, UserFactory
from tests.factories.resources import ResourceFactory
from tests.factories.sessions import SeriesFactory, TeachingSessionFactory

pytestmark = pytest.mark.django_db

# Wednesday 2 December 2026, 09:00 GMT: the clock stands still, so no minute turns mid-test.
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
LIST = "/sessions/?year=&when=all"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def later(**kw):
    """A session this afternoon: this week, upcoming, booking open."""
    start = NOW.replace(hour=15)
    return TeachingSessionFactory(starts_at=start, ends_at=start + timedelta(hours=1), **kw)


def computes(monkeypatch, function: str, module=browse) -> list:
    """Every run of a remembered value's compute (the real one runs: this only counts)."""
    calls = []
    real = getattr(module, function)

    def counted(*args, **kwargs):
        calls.append(function)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, function, counted)
    return calls


def visit(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return unescape(response.content.decode())


def card_badge(html, session) -> str:
    found = re.search(rf'<div data-state="{session.pk}"><span class="badge [^"]+">([^<]+)<', html)
    return found.group(1)


@pytest.fixture
def others():
    """Members who book (made before any visit: a new member is a write of its own)."""
    return iter(UserFactory.create_batch(6))


def book(members, session, n=1):
    for _ in range(n):
        booking.book(next(members), session)


def test_the_list_is_kept_through_others_bookings_and_shows_the_places_after_each(
    client, monkeypatch, others
):
    session = later(capacity=2, title="Renal tutorial")
    runs = computes(monkeypatch, "_list_content")
    ann = UserFactory()
    client.force_login(ann)
    assert card_badge(visit(client, LIST), session) == "2 places left"
    book(others, session)
    assert card_badge(visit(client, LIST), session) == "1 place left"
    book(others, session)
    assert card_badge(visit(client, LIST), session) == "Full"
    book(others, session)  # joins the waiting list
    assert card_badge(visit(client, LIST), session) == "Full · 1 waiting"
    booking.book(ann, session)
    assert card_badge(visit(client, LIST), session) == "On the waiting list"
    assert runs == ["_list_content"]


def test_the_list_with_places_left_filter_still_drops_a_session_once_full(client, others):
    session = later(capacity=1, title="Last seat lecture")
    client.force_login(UserFactory())
    assert "Last seat lecture" in visit(client, LIST + "&has_places=on")
    book(others, session)
    assert "Last seat lecture" not in visit(client, LIST + "&has_places=on")


def test_the_month_and_week_are_kept_through_others_bookings_and_show_my_own(
    client, monkeypatch, others
):
    session = later(title="Acid base workshop")
    runs = computes(monkeypatch, "_calendar")
    ann = UserFactory()
    client.force_login(ann)
    week, month = "/sessions/calendar/?view=week&year=", "/sessions/calendar/?year="
    for url in (week, month):
        assert "Acid base workshop" in visit(client, url)
    book(others, session, 2)
    assert "Booked</span>" not in visit(client, week)
    assert "Acid base workshop" in visit(client, month)
    booking.book(ann, session)
    assert 'Acid base workshop</a> <span class="badge text-bg-primary">Booked</span>' in visit(
        client, week
    )
    assert runs == ["_calendar", "_calendar"]  # the week and the month, once each


def test_the_session_page_is_kept_through_others_bookings_with_fresh_places_and_buttons(
    client, monkeypatch, others
):
    session = later(capacity=2)
    runs = computes(monkeypatch, "_detail_content")
    ann = UserFactory()
    client.force_login(ann)
    url = f"/sessions/{session.pk}/"
    html = visit(client, url)
    assert "2 places left" in html and "Book a place" in html
    book(others, session)
    html = visit(client, url)
    assert "1 place left" in html and "Book a place" in html and "2 places left" not in html
    book(others, session, 2)
    html = visit(client, url)
    assert '<span class="badge text-bg-warning">Full · 1 waiting</span>' in html
    assert "2 in total, 1 on the waiting list" in html
    assert "The session is full." in html and "Join the waiting list</button>" in html
    booking.book(ann, session)
    html = visit(client, url)
    assert "You are <strong>number 2</strong> on the waiting list" in html
    assert "On the waiting list</span>" in html and "2 in total, 2 on the waiting list" in html
    assert runs == ["_detail_content"]


def test_a_confirmed_place_shows_its_join_link_and_cancel_button_on_the_kept_page(
    client, monkeypatch
):
    session = later(delivery="online", join_link="https://meet.example.org/renal")
    runs = computes(monkeypatch, "_detail_content")
    ann = UserFactory()
    client.force_login(ann)
    url = f"/sessions/{session.pk}/"
    html = visit(client, url)
    assert "The join link appears here once you have a confirmed place." in html
    assert "https://meet.example.org/renal" not in html
    booking.book(ann, session)
    html = visit(client, url)
    assert '<a class="text-break" href="https://meet.example.org/renal">' in html
    assert "You are booked." in html and "Cancel my booking" in html
    client.force_login(UserFactory())  # another member: not the link, and their own page
    html = visit(client, url)
    assert "https://meet.example.org/renal" not in html and "Book a place" in html
    assert runs == ["_detail_content", "_detail_content"]  # one per member


def test_the_series_page_is_kept_through_others_bookings_with_fresh_places(
    client, monkeypatch, others
):
    series = SeriesFactory(title="Cardiology block")
    session = later(series=series, capacity=3)
    runs = computes(monkeypatch, "_series_content")
    client.force_login(UserFactory())
    url = f"/sessions/series/{series.pk}/"
    assert "3 places left" in visit(client, url)
    book(others, session)
    html = visit(client, url)
    assert "2 places left" in html and "3 places left" not in html
    assert runs == ["_series_content"]


def test_the_home_section_is_kept_through_others_bookings_with_fresh_places(
    client, monkeypatch, others
):
    session = later(capacity=2, title="Heart sounds")
    runs = computes(monkeypatch, "_shared", module=home)
    own = computes(monkeypatch, "_mine", module=home)
    ann = UserFactory()
    client.force_login(ann)
    assert "Heart sounds" in visit(client, "/")
    assert '<span class="badge text-bg-success">2 places left</span>' in visit(client, "/")
    book(others, session)
    html = visit(client, "/")
    assert '<span class="badge text-bg-success">1 place left</span>' in html
    assert own == ["_mine"]  # the member's own part is kept through others' bookings too
    booking.book(ann, session)
    html = visit(client, "/")
    assert '<span class="badge text-bg-primary">Booked</span>' in html
    assert "You have no sessions booked" not in html  # their own booking: their part afresh
    assert own == ["_mine", "_mine"]
    book(others, session)
    client.force_login(UserFactory())
    html = visit(client, "/")
    assert '<span class="badge text-bg-warning">Full · 1 waiting</span>' in html
    assert runs == ["_shared", "_shared"]  # one per member


def test_a_tutors_home_counts_the_bookings_of_what_they_teach(client, monkeypatch, others):
    tutor = TutorFactory()
    session = later(capacity=5, tutors=[tutor], title="Murmurs")
    runs = computes(monkeypatch, "_shared", module=home)
    client.force_login(tutor)
    assert "· 0 booked" in visit(client, "/")
    book(others, session, 2)
    html = visit(client, "/")
    assert "· 2 booked" in html and "You are teaching</span>" in html
    assert runs == ["_shared"]


def busy_visit_queries(client, others, session) -> int:
    """Queries of a list visit right after another member's booking."""
    book(others, session)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_after_a_booking_costs_the_same_queries_with_1_and_20_sessions(client, others):
    client.force_login(UserFactory())
    first = later(capacity=30)
    client.get(LIST)
    one = busy_visit_queries(client, others, first)
    for _ in range(19):
        later(capacity=30)
    client.get(LIST)
    assert busy_visit_queries(client, others, first) == one


def test_a_changed_capacity_shows_at_once_on_the_session_page(client, others):
    session = later(capacity=2)
    client.force_login(UserFactory())
    url = f"/sessions/{session.pk}/"
    book(others, session)
    assert "1 place left" in visit(client, url)
    TeachingSession.objects.filter(pk=session.pk).update(capacity=5)
    html = visit(client, url)
    assert "4 places left" in html and "5 in total" in html


@pytest.mark.parametrize(
    ("capacity", "taken", "waiting"), [(3, 0, 0), (3, 2, 0), (3, 3, 0), (3, 3, 2), (2, 3, 0)]
)
def test_a_filled_hole_is_the_badge_the_full_state_gives(capacity, taken, waiting):
    """One count rule: the punched badge of a remembered page and the session's own state."""
    session = later(capacity=capacity)
    counts = {session.pk: (taken, waiting)} if taken or waiting else {}
    state = booking_state(session, NOW, places=(taken, waiting))
    assert fill_places(places_hole(session), counts) == badge_html(state)


def test_the_session_pages_resources_are_kept_through_others_bookings_and_open_with_my_place(
    client, monkeypatch, others
):
    """An attendees-only handout opens with the member's own confirmed place, the only booking
    rows the resources list reads: others' bookings keep it, the member's own booking shows it."""
    session = later(capacity=5)
    ResourceFactory(session=session, title="Members' handout")
    ResourceFactory(
        session=session, title="Attendees' handout", visibility=Resource.Visibility.ATTENDEES
    )
    drawn = []
    real = browse.render_shared
    monkeypatch.setattr(
        browse, "render_shared", lambda template, ctx: drawn.append(template) or real(template, ctx)
    )
    ann = UserFactory()
    client.force_login(ann)
    url = f"/sessions/{session.pk}/"
    html = visit(client, url)
    assert "Members' handout" in html and "Attendees' handout" not in html
    book(others, session, 2)
    html = visit(client, url)
    assert "Members' handout" in html and "Attendees' handout" not in html
    assert "3 places left" in html
    assert drawn.count("sessions_app/_session_resources.html") == 1  # kept through theirs
    booking.book(ann, session)
    html = visit(client, url)
    assert "Attendees' handout" in html and "You are booked." in html
    assert drawn.count("sessions_app/_session_resources.html") == 2  # drawn again for mine
