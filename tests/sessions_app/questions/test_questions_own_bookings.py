"""The questions hub, my mock exams and the home page's questions section read only the
member's own bookings (the exams they booked): they stay remembered while other members book,
and show the member's own new booking at once."""

import pytest

from sessions_app.booking import services as booking
from tests.factories.core import UserFactory
from tests.factories.questions import mock_exam_session, paper_with, published
from tests.factories.sessions import TeachingSessionFactory
from tests.support.remembering import page_and_statements as visit

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
HUB, MY_EXAMS = "/questions/", "/questions/exams/"


@pytest.fixture
def exam():
    """A mock exam with its paper, nobody booked yet."""
    session = mock_exam_session()
    paper_with([published()], session=session)
    return session


@pytest.fixture
def someone_else_books():
    """Another member books a session (both made before any visit): one real booking a call."""
    pairs = iter([(UserFactory(), TeachingSessionFactory()) for _ in range(3)])
    return lambda: booking.book(*next(pairs))


@pytest.mark.parametrize("url", [HUB, MY_EXAMS])
def test_another_members_booking_leaves_the_page_remembered(client, exam, someone_else_books, url):
    student = UserFactory()
    booking.book(student, exam)
    client.force_login(student)
    visit(client, url)
    _page, repeat = visit(client, url)
    someone_else_books()
    _page, after = visit(client, url)
    assert len(after) == len(repeat)  # a hit: nothing of the page was computed again


def test_the_members_own_booking_shows_at_once(client, exam):
    student = UserFactory()
    client.force_login(student)
    assert "Mock paper" not in visit(client, MY_EXAMS)[0]
    assert "Book a mock-exam session" in visit(client, HUB)[0]
    assert "Mock paper" not in visit(client, "/")[0]
    booking.book(student, exam)
    assert "Mock paper" in visit(client, MY_EXAMS)[0]
    assert "1 mock exam you booked" in visit(client, HUB)[0]
    assert "Mock paper" in visit(client, "/")[0]


def test_the_home_pages_questions_section_stays_remembered(client, exam, someone_else_books):
    student = UserFactory()
    booking.book(student, exam)
    client.force_login(student)
    visit(client, "/")
    someone_else_books()
    page, statements = visit(client, "/")
    assert "Mock paper" in page
    assert not [s for s in statements if "sessions_app_exampaper" in s]  # the section: a hit
