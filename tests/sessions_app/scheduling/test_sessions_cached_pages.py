"""The sessions pages are kept by remember(): a change made through a service shows on the very
next request, each member sees their own place and role (never another's), and a repeat visit
costs the same few queries whatever the number of sessions."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meded.remember import CSRF_SENTINEL
from sessions_app.booking import services as booking
from sessions_app.scheduling.models import TeachingSession
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.sessions import BookingFactory, SeriesFactory, TeachingSessionFactory

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
LIST = "/sessions/?year=&when=all"


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def badge(html, session):
    """The badge text on one session's card in the list."""
    found = re.search(rf'<div data-state="{session.pk}"><span class="badge [^"]+">([^<]+)<', html)
    return found.group(1)


def repeat_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_a_booking_shows_on_the_next_list_for_the_booker_and_in_everyones_places(client):
    tutor = TutorFactory()
    session = TeachingSessionFactory(capacity=2, tutors=[tutor])
    ann, bob = UserFactory(), UserFactory()
    assert badge(page(client, ann, LIST), session) == "2 places left"
    assert badge(page(client, bob, LIST), session) == "2 places left"
    booking.book(ann, session)
    assert badge(page(client, ann, LIST), session) == "Booked"
    assert badge(page(client, bob, LIST), session) == "1 place left"
    assert badge(page(client, tutor, LIST), session) == "You are teaching"
    assert badge(page(client, ann, LIST), session) == "Booked"  # not the tutor's, nor bob's


def test_a_new_or_cancelled_session_shows_on_the_next_list(client):
    ann = UserFactory()
    kept = TeachingSessionFactory(title="Renal physiology")
    assert "Cardiac cycle" not in page(client, ann, LIST)
    added = TeachingSessionFactory(title="Cardiac cycle")
    assert "Cardiac cycle" in page(client, ann, LIST)
    TeachingSession.objects.filter(pk=added.pk).update(status=TeachingSession.Status.CANCELLED)
    html = page(client, ann, LIST)
    assert "Cardiac cycle" not in html and kept.title in html


@pytest.mark.parametrize("url", [LIST, "/sessions/?year=&when=all&has_places=on"])
def test_a_repeat_visit_to_the_list_costs_the_same_with_1_and_20_sessions(client, url):
    ann = UserFactory()
    client.force_login(ann)
    BookingFactory(session=TeachingSessionFactory(), student=ann)
    one = repeat_queries(client, url)
    for _ in range(19):
        BookingFactory(session=TeachingSessionFactory(), student=ann)
        BookingFactory(session=TeachingSessionFactory())
    assert repeat_queries(client, url) == one
    assert one <= 4


def test_the_session_page_shows_each_member_their_own_place_and_role(client):
    tutor = TutorFactory()
    session = TeachingSessionFactory(tutors=[tutor])
    ann, bob = UserFactory(), UserFactory()
    url = f"/sessions/{session.pk}/"
    assert "Book a place" in page(client, ann, url)
    booking.book(ann, session)
    html = page(client, ann, url)
    assert "You are booked" in html and "Book a place" not in html
    html = page(client, bob, url)
    assert "Book a place" in html and "You are booked" not in html
    assert session.checkin_code not in html
    html = page(client, tutor, url)
    assert "You are teaching this session" in html and session.checkin_code in html
    assert "Edit session" not in html
    assert "Edit session" in page(client, CommitteeFactory(), url)


def test_a_cached_page_carries_the_requesters_own_csrf_token(client):
    session = TeachingSessionFactory()
    url = f"/sessions/{session.pk}/"
    tokens = []
    for member in (UserFactory(), UserFactory()):
        client.cookies.clear()
        html = page(client, member, url)
        assert CSRF_SENTINEL not in html
        tokens.append(client.cookies["csrftoken"].value)
        assert re.search(r'name="csrfmiddlewaretoken" value="[^"]{64}"', html)
    assert tokens[0] != tokens[1]


def test_a_repeat_visit_to_a_session_page_costs_the_same_with_1_and_20_bookings(client):
    session = TeachingSessionFactory(capacity=None)
    ann = UserFactory()
    client.force_login(ann)
    url = f"/sessions/{session.pk}/"
    BookingFactory(session=session, student=ann)
    one = repeat_queries(client, url)
    for _ in range(19):
        BookingFactory(session=session)
    assert repeat_queries(client, url) == one
    assert one <= 4


def test_the_series_page_shows_a_booking_and_a_new_session_on_the_next_request(client):
    series = SeriesFactory(title="Cardiology block")
    first = TeachingSessionFactory(series=series, capacity=3, title="Heart sounds")
    url = f"/sessions/series/{series.pk}/"
    ann = UserFactory()
    html = page(client, ann, url)
    assert "Heart sounds" in html and "Murmurs" not in html
    booking.book(UserFactory(), first)
    TeachingSessionFactory(series=series, title="Murmurs")
    html = page(client, UserFactory(), url)
    assert "Murmurs" in html and "2 places left" in html
    one = repeat_queries(client, url)
    for _ in range(10):
        TeachingSessionFactory(series=series)
    assert repeat_queries(client, url) == one
