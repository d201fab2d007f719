"""The library reads only the member's own bookings (attendees' resources open to those booked):
it stays remembered while other members book, and a resource the member's own booking opens,
or their cancellation closes, shows or goes at once."""

import pytest

from sessions_app.booking import services as booking
from sessions_app.models import Resource
from tests.factories.core import UserFactory
from tests.factories.resources import ResourceFactory
from tests.factories.sessions import TeachingSessionFactory
from tests.support.remembering import page_and_statements

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
LIBRARY = "/resources/"


def visit(client) -> tuple[str, int]:
    """The library, and how many statements its request ran."""
    page, statements = page_and_statements(client, LIBRARY)
    return page, len(statements)


@pytest.fixture
def handout():
    session = TeachingSessionFactory()
    ResourceFactory(
        title="Attendee handout", session=session, visibility=Resource.Visibility.ATTENDEES
    )
    return session


def test_another_members_booking_leaves_the_library_remembered(client, handout):
    ann, other = UserFactory(), UserFactory()
    booking.book(ann, handout)
    client.force_login(ann)
    visit(client)
    _page, repeat = visit(client)
    booking.book(other, handout)  # on the very session whose handout ann may open
    page, after = visit(client)
    assert after == repeat  # a hit: nothing computed again
    assert "Attendee handout" in page


def test_the_members_own_booking_and_cancellation_show_at_once(client, handout):
    ann = UserFactory()
    client.force_login(ann)
    assert "Attendee handout" not in visit(client)[0]
    place = booking.book(ann, handout)
    assert "Attendee handout" in visit(client)[0]
    booking.cancel(ann, place)
    assert "Attendee handout" not in visit(client)[0]
