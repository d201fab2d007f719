"""/sessions/ opens on this week for my year, by day; list and page agree on a session's state."""

from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from sessions_app.booking.state import booking_state
from tests.factories.core import UserFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

pytestmark = pytest.mark.django_db

# Wednesday 2 December 2026, 09:00 GMT.
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def at(days, hour=18):
    return (NOW + timedelta(days=days)).replace(hour=hour)


def page(client, query=""):
    return unescape(client.get(reverse("sessions_app:list") + query).content.decode())


def test_the_list_opens_on_this_week_with_day_headings(client, frozen):
    TeachingSessionFactory(title="Today's lecture", starts_at=at(0), ends_at=at(0, 19))
    TeachingSessionFactory(title="Sunday tutorial", starts_at=at(4), ends_at=at(4, 19))
    TeachingSessionFactory(title="Next Monday mock", starts_at=at(5), ends_at=at(5, 19))
    client.force_login(UserFactory())
    body = page(client)
    assert "Today's lecture" in body and "Sunday tutorial" in body
    assert "Next Monday mock" not in body
    assert "Today, Wednesday 2 December" in body and "Sunday 6 December" in body
    assert 'href="#results"' in body and 'id="results"' in body
    nxt = page(client, "?when=next")
    assert "Next Monday mock" in nxt and "Today's lecture" not in nxt
    assert "Monday 7 December" in nxt
    everything = page(client, "?when=all")
    assert all(t in everything for t in ("Today's lecture", "Next Monday mock"))


def test_a_search_looks_across_the_term(client, frozen):
    TeachingSessionFactory(title="Valves lecture", starts_at=at(20), ends_at=at(20, 19))
    client.force_login(UserFactory())
    assert "Valves lecture" in page(client, "?q=valves")


def test_list_and_page_agree_when_booking_opens_later(client, frozen):
    session = TeachingSessionFactory(
        capacity=1,
        starts_at=at(3),
        ends_at=at(3, 19),
        booking_opens=NOW + timedelta(days=1),
    )
    client.force_login(UserFactory())
    state = booking_state(session, NOW)
    assert state.code == "opens_later" and not state.can_book
    detail = unescape(
        client.get(reverse("sessions_app:detail", args=[session.pk])).content.decode()
    )
    assert state.label in page(client) and state.label in detail
    assert "Full" not in detail and "Book a place" not in detail


def test_a_full_session_reads_the_same_in_list_and_page(client, frozen):
    session = TeachingSessionFactory(capacity=1, starts_at=at(2), ends_at=at(2, 19))
    BookingFactory(session=session)
    BookingFactory(session=session, status="waiting")
    client.force_login(UserFactory())
    detail = unescape(
        client.get(reverse("sessions_app:detail", args=[session.pk])).content.decode()
    )
    assert "Full · 1 waiting" in page(client) and "Full · 1 waiting" in detail
    assert "Join the waiting list" in detail


def test_a_tutor_sees_their_own_session_as_teaching_in_the_list(client, frozen):
    tutor = UserFactory()
    TeachingSessionFactory(tutors=[tutor], starts_at=at(1), ends_at=at(1, 19))
    client.force_login(tutor)
    assert "You are teaching" in page(client)


def test_home_shows_this_week_for_my_year(client, frozen):
    student = UserFactory()
    TeachingSessionFactory(title="Friday OSCE practice", starts_at=at(2), ends_at=at(2, 19))
    TeachingSessionFactory(title="Far-off lecture", starts_at=at(12), ends_at=at(12, 19))
    client.force_login(student)
    body = unescape(client.get(reverse("home")).content.decode())
    assert "This week" in body and "Friday OSCE practice" in body
    assert "Far-off lecture" not in body and "Friday 4 December" in body
