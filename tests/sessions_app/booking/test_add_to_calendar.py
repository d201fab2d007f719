"""Google and Outlook "add to calendar" buttons beside the .ics file, and feed subscriptions."""

from datetime import UTC, datetime, timedelta
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from sessions_app.booking.calendar import add_links
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

pytestmark = pytest.mark.django_db

WINTER = datetime(2026, 12, 8, 18, 0, tzinfo=UTC)
SUMMER = datetime(2027, 5, 11, 17, 0, tzinfo=UTC)


def query(url):
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


@pytest.mark.parametrize("start", [WINTER, SUMMER])
def test_google_and_outlook_links_carry_the_session_in_utc(start):
    session = TeachingSessionFactory(
        title="OSCE practice: chest pain",
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
        delivery="online",
        join_link="https://meet.example.test/x",
    )
    links = add_links(session, show_link=True)
    google = query(links["google"])
    stamp = start.strftime("%Y%m%dT%H%M%SZ")
    end = (start + timedelta(minutes=90)).strftime("%Y%m%dT%H%M%SZ")
    assert google["dates"] == f"{stamp}/{end}" and google["text"] == session.title
    assert "https://meet.example.test/x" in google["details"]
    outlook = query(links["outlook"])
    assert outlook["startdt"] == start.isoformat().replace("+00:00", "Z")
    assert outlook["subject"] == session.title and outlook["rru"] == "addevent"
    assert "meet.example.test" not in str(add_links(session, show_link=False))


def test_a_booked_student_sees_the_buttons_beside_the_ics_file(client):
    booking = BookingFactory()
    client.force_login(booking.student)
    html = unescape(
        client.get(reverse("sessions_app:detail", args=[booking.session.pk])).content.decode()
    )
    links = add_links(booking.session, show_link=True)
    assert links["google"] in html and links["outlook"] in html
    assert reverse("sessions_app:ics", args=[booking.session.pk]) in html


def test_the_profile_offers_to_subscribe_to_the_private_feed(client, student_user):
    client.force_login(student_user)
    html = unescape(client.get(reverse("profile")).content.decode())
    feed = "http://testserver" + reverse("sessions_app:feed", args=[student_user.calendar_token])
    assert (
        "webcal://testserver" + reverse("sessions_app:feed", args=[student_user.calendar_token])
        in html
    )
    assert "calendar.google.com/calendar/r?cid=webcal" in html
    assert "addfromweb?url=" + feed.replace(":", "%3A").replace("/", "%2F") in html
