"""My bookings reads the member's own bookings and, for the waiting lists they are on, the
waiting rows ahead of theirs: it stays remembered while other members book (even joining the
same waiting list behind them), and shows their own booking and their moved place at once."""

import pytest

from sessions_app.booking import services as booking
from tests.factories.core import UserFactory
from tests.factories.sessions import TeachingSessionFactory
from tests.support.remembering import page_and_statements

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
MINE = "/sessions/mine/"


def visit(client) -> tuple[str, int]:
    """My bookings, and how many statements its request ran."""
    page, statements = page_and_statements(client, MINE)
    return page, len(statements)


@pytest.fixture
def queue():
    """A one-place session: the place taken, one member waiting; then `me` waiting second."""
    session = TeachingSessionFactory(title="Clinical skills", capacity=1)
    first, ahead, me, behind = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    booking.book(first, session)
    ahead_booking = booking.book(ahead, session)
    booking.book(me, session)
    return session, me, ahead_booking, behind


def test_others_booking_even_behind_me_in_the_queue_leaves_the_page_remembered(client, queue):
    session, me, _ahead, behind = queue
    elsewhere = (UserFactory(), TeachingSessionFactory())
    client.force_login(me)
    visit(client)
    _page, repeat = visit(client)
    booking.book(*elsewhere)
    booking.book(behind, session)  # joins the waiting list behind me: my place does not move
    page, after = visit(client)
    assert after == repeat  # a hit: nothing computed again
    assert "Waiting list, number 2" in page


def test_my_place_moves_at_once_when_someone_ahead_leaves_the_queue(client, queue):
    _session, me, ahead, _behind = queue
    client.force_login(me)
    assert "Waiting list, number 2" in visit(client)[0]
    booking.cancel(ahead.student, ahead)
    assert "Waiting list, number 1" in visit(client)[0]


def test_my_own_booking_shows_at_once(client):
    me = UserFactory()
    session = TeachingSessionFactory(title="Acid base workshop")
    client.force_login(me)
    assert "Acid base workshop" not in visit(client)[0]
    place = booking.book(me, session)
    assert "Acid base workshop" in visit(client)[0]
    booking.cancel(me, place)
    assert "Cancelled" in visit(client)[0]
