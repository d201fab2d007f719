"""The member's feedback pages read only their own bookings, so they stay remembered while other
members book (at the start of term someone books every few milliseconds), and show the
member's own attendance the moment it is marked."""

import pytest
from django.urls import reverse

from sessions_app.booking import services as booking
from sessions_app.booking.attendance import mark_register
from tests.factories.core import CommitteeFactory, UserFactory
from tests.factories.feedback import past_session
from tests.factories.sessions import BookingFactory, SeriesFactory, TeachingSessionFactory
from tests.support.remembering import page_and_statements as visit

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]


@pytest.fixture
def someone_else_books():
    """Another member books a session (both made before any visit): one real booking a call."""
    pairs = iter([(UserFactory(), TeachingSessionFactory()) for _ in range(3)])
    return lambda: booking.book(*next(pairs))


@pytest.fixture
def member(client):
    """A member booked on a past session of a series, not yet marked as attending."""
    series = SeriesFactory(title="Renal series")
    session, _ = past_session(title="Renal physiology", series=series)
    student = UserFactory()
    own = BookingFactory(session=session, student=student, attended=None)
    client.force_login(student)
    return session, own


PAGES = {
    "mine": lambda session: "/feedback/",
    "certificates": lambda session: "/feedback/certificates/",
    "answer": lambda session: reverse("feedback:answer", args=[session.pk]),
}


@pytest.mark.parametrize("page", PAGES)
def test_another_members_booking_leaves_the_page_remembered(
    client, member, someone_else_books, page
):
    session, _own = member
    url = PAGES[page](session)
    visit(client, url)
    _page, repeat = visit(client, url)
    someone_else_books()
    _page, after = visit(client, url)
    assert len(after) == len(repeat)  # a hit: nothing of the page was computed again


def test_the_members_own_attendance_shows_at_once(client, member):
    session, own = member
    answer = reverse("feedback:answer", args=[session.pk])
    assert 'href="' + answer + '"' not in visit(client, "/feedback/")[0]
    assert "Send feedback" not in visit(client, answer)[0]
    assert "attended 0 of 1" in visit(client, "/feedback/certificates/")[0]
    mark_register(CommitteeFactory(), session, {own.pk: True})
    assert 'href="' + answer + '"' in visit(client, "/feedback/")[0]
    assert "Send feedback" in visit(client, answer)[0]
    assert "attended 1 of 1" in visit(client, "/feedback/certificates/")[0]


def test_the_home_pages_feedback_section_stays_remembered_and_shows_own_attendance(
    client, member, someone_else_books
):
    _session, own = member
    visit(client, "/")
    someone_else_books()
    page, statements = visit(client, "/")
    assert "Renal physiology" not in page
    assert not [s for s in statements if "feedback_hasanswered" in s]  # the section: a hit
    own.attended = True
    own.save()
    assert "Renal physiology" in visit(client, "/")[0]
