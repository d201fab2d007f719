"""The home page's sections are cached per member and minute: a change shows on the next visit,
no member ever sees another's section, and a repeat visit costs the same few queries whatever
the history."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sessions_app.booking import services as booking
from tests.factories.core import TutorFactory, UserFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]


def later(title: str, **kw):
    """A session ten days ahead: never in "this week", so its title shows only when booked."""
    starts = (timezone.now() + timedelta(days=10)).replace(microsecond=0)
    return TeachingSessionFactory(
        title=title, starts_at=starts, ends_at=starts + timedelta(hours=1), **kw
    )


def home(client) -> str:
    return client.get("/").content.decode()


def test_a_booking_made_through_the_service_shows_on_the_next_visit(client):
    student = UserFactory()
    session = later("Cardiac cycle revision")
    client.force_login(student)
    assert "Cardiac cycle revision" not in home(client)
    booking.book(student, session)
    assert "Cardiac cycle revision" in home(client)
    booking.cancel(student, student.bookings.get())
    assert "Cardiac cycle revision" not in home(client)


def test_two_members_and_two_roles_never_see_each_others_sections(client):
    anna, ben = UserFactory(), UserFactory()
    tutor = TutorFactory()
    booking.book(anna, later("Anna renal tutorial"))
    later("Tutor own lecture", tutors=[tutor])
    client.force_login(anna)
    assert "Anna renal tutorial" in home(client)
    client.force_login(ben)
    assert "Anna renal tutorial" not in home(client)
    assert "Sessions you teach" not in home(client)
    client.force_login(tutor)
    page = home(client)
    assert "Sessions you teach" in page and "Anna renal tutorial" not in page


def repeat_visit_queries(client) -> int:
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


def test_a_repeat_visit_costs_the_same_few_queries_with_1_and_30_past_bookings(client):
    student = UserFactory()
    client.force_login(student)
    past = timezone.now() - timedelta(days=20)

    def history(n):
        for _ in range(n):
            session = TeachingSessionFactory(starts_at=past, ends_at=past + timedelta(hours=1))
            BookingFactory(session=session, student=student, attended=True)

    history(1)
    small = repeat_visit_queries(client)
    history(29)
    assert repeat_visit_queries(client) == small
    # the member's session and user, their roles, and one digest of their own bookings shared by
    # every section that shows them (sessions_app/booking/fingerprint.py): no section queries
    assert small <= 4
