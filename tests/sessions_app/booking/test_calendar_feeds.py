"""iCalendar: valid files, stable UIDs, SEQUENCE, cancelled kept, London time with VTIMEZONE."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from sessions_app.booking.calendar import regenerate_token
from sessions_app.scheduling.services import cancel_session
from tests.factories.core import TutorFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

pytestmark = pytest.mark.django_db


def parse(content: bytes) -> list:
    cal = Calendar.from_ical(content)
    assert cal["VERSION"] == "2.0"
    return list(cal.walk("VEVENT"))


def test_session_download_parses_back_with_london_time(client, student_user):
    # 18:00 BST in October and 18:00 GMT in November: the file says 18:00 Europe/London both times.
    summer = TeachingSessionFactory(
        starts_at=datetime(2026, 10, 20, 17, 0, tzinfo=UTC),
        ends_at=datetime(2026, 10, 20, 18, 0, tzinfo=UTC),
    )
    winter = TeachingSessionFactory(
        starts_at=datetime(2026, 11, 3, 18, 0, tzinfo=UTC),
        ends_at=datetime(2026, 11, 3, 19, 0, tzinfo=UTC),
    )
    client.force_login(student_user)
    for session in (summer, winter):
        response = client.get(reverse("sessions_app:ics", args=[session.pk]))
        assert response["Content-Type"] == "text/calendar"
        text = response.content.decode()
        assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/London" in text
        assert "DTSTART;TZID=Europe/London:" in text
        (event,) = parse(response.content)
        assert event.decoded("dtstart").astimezone(UTC) == session.starts_at
        assert event.decoded("dtstart").hour == 18
        assert str(event["uid"]).startswith(f"session-{session.pk}@")


def test_feed_has_confirmed_bookings_and_taught_sessions_only(client):
    tutor = TutorFactory()
    booked = BookingFactory(student=tutor).session
    BookingFactory(student=tutor, status="waiting")
    taught = TeachingSessionFactory(tutors=[tutor])
    TeachingSessionFactory(tutors=[tutor], status="draft")
    response = client.get(reverse("sessions_app:feed", args=[tutor.calendar_token]))
    assert response.status_code == 200
    uids = {str(e["uid"]).split("@")[0] for e in parse(response.content)}
    assert uids == {f"session-{booked.pk}", f"session-{taught.pk}"}


def test_cancelled_session_stays_in_the_feed_as_cancelled_with_a_higher_sequence(client):
    booking = BookingFactory()
    url = reverse("sessions_app:feed", args=[booking.student.calendar_token])
    (before,) = parse(client.get(url).content)
    cancel_session(booking.session)
    (after,) = parse(client.get(url).content)
    assert str(after["uid"]) == str(before["uid"])
    assert after["status"] == "CANCELLED"
    assert int(after["sequence"]) > int(before["sequence"])


def test_join_link_in_the_feed_for_a_confirmed_booking(client):
    booking = BookingFactory(
        session__delivery="online", session__join_link="https://meet.example.test/x"
    )
    body = client.get(reverse("sessions_app:feed", args=[booking.student.calendar_token]))
    assert "meet.example.test" in body.content.decode()


def test_unknown_token_is_404(client):
    assert client.get(reverse("sessions_app:feed", args=["nope"])).status_code == 404


def test_regenerating_revokes_the_old_address(client, student_user):
    old = student_user.calendar_token
    client.force_login(student_user)
    response = client.post(reverse("sessions_app:regenerate_feed"))
    assert response.status_code == 302
    student_user.refresh_from_db()
    assert student_user.calendar_token != old
    assert client.get(reverse("sessions_app:feed", args=[old])).status_code == 404
    assert (
        client.get(reverse("sessions_app:feed", args=[student_user.calendar_token])).status_code
        == 200
    )


def test_profile_shows_the_feed_link_and_regenerate_button(client, student_user):
    client.force_login(student_user)
    body = client.get("/accounts/profile/").content.decode()
    assert f"/calendar/{student_user.calendar_token}.ics" in body
    assert reverse("sessions_app:regenerate_feed") in body


def test_regenerate_needs_post_and_login(client, student_user):
    assert client.post(reverse("sessions_app:regenerate_feed")).status_code == 302
    client.force_login(student_user)
    assert client.get(reverse("sessions_app:regenerate_feed")).status_code == 405
    assert regenerate_token(student_user) != ""


def test_past_sessions_older_than_half_a_year_drop_out(client):
    booking = BookingFactory(
        session__starts_at=datetime.now(UTC) - timedelta(days=200),
        session__ends_at=datetime.now(UTC) - timedelta(days=200) + timedelta(hours=1),
    )
    body = client.get(reverse("sessions_app:feed", args=[booking.student.calendar_token]))
    assert parse(body.content) == []
