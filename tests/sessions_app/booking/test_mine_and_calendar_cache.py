"""My bookings and the calendar are cached per member, query and minute: a change shows on the
next visit, members never see each other's page, past bookings come 25 to a page, and a repeat
visit costs the same few queries whatever the history."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sessions_app.booking import services as booking
from tests.factories.core import UserFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
MINE = "/sessions/mine/"


def body(client, url) -> str:
    return client.get(url).content.decode()


def week_of(session) -> str:
    day = timezone.localtime(session.starts_at).date()
    return reverse("sessions_app:calendar") + f"?view=week&year=&week={day:%Y-%m-%d}"


def month_of(session) -> str:
    return reverse("sessions_app:calendar") + f"?year=&month={session.starts_at:%Y-%m}"


def add_history(student, n):
    past = timezone.now() - timedelta(days=40)
    for i in range(n):
        start = past - timedelta(hours=i)
        session = TeachingSessionFactory(
            title=f"Old lecture {i:03d}", starts_at=start, ends_at=start + timedelta(minutes=30)
        )
        BookingFactory(session=session, student=student, attended=True)


def repeat_visit_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_a_booking_and_its_cancellation_show_on_the_next_visit(client):
    student = UserFactory()
    session = TeachingSessionFactory(title="Acid base workshop")
    client.force_login(student)
    assert "Acid base workshop" not in body(client, MINE)
    assert "Booked</span>" not in body(client, week_of(session))
    booking.book(student, session)
    assert "Acid base workshop" in body(client, MINE)
    assert "Booked</span>" in body(client, week_of(session))
    booking.cancel(student, student.bookings.get())
    assert "Cancelled" in body(client, MINE)
    assert "Booked</span>" not in body(client, week_of(session))


def test_a_new_session_shows_on_the_month_calendar_at_once(client):
    first = TeachingSessionFactory(title="Month one")
    client.force_login(UserFactory())
    assert "Month one" in body(client, month_of(first))
    TeachingSessionFactory(title="Month two", starts_at=first.starts_at + timedelta(hours=2))
    assert "Month two" in body(client, month_of(first))


def test_two_members_never_see_each_others_bookings(client):
    anna, ben = UserFactory(), UserFactory()
    session = TeachingSessionFactory(title="Anna only tutorial")
    booking.book(anna, session)
    client.force_login(anna)
    assert "Anna only tutorial" in body(client, MINE)
    assert "Booked</span>" in body(client, week_of(session))
    client.force_login(ben)
    assert "Anna only tutorial" not in body(client, MINE)
    assert "Booked</span>" not in body(client, week_of(session))


def test_past_bookings_come_25_to_a_page_latest_first(client):
    student = UserFactory()
    add_history(student, 30)
    client.force_login(student)
    first = body(client, MINE)
    assert "Old lecture 000" in first and "Old lecture 024" in first
    assert "Old lecture 025" not in first and "Page 1 of 2" in first
    second = body(client, MINE + "?page=2")
    assert "Old lecture 025" in second and "Old lecture 029" in second
    assert "Old lecture 000" not in second


@pytest.mark.parametrize("url", [MINE, "/sessions/calendar/", "/sessions/calendar/?view=week"])
def test_a_repeat_visit_costs_the_same_few_queries_with_1_and_40_past_bookings(client, url):
    student = UserFactory()
    client.force_login(student)
    add_history(student, 1)
    small = repeat_visit_queries(client, url)
    add_history(student, 39)
    assert repeat_visit_queries(client, url) == small
    assert small <= 3  # the member's session and user, their roles: nothing of the page
