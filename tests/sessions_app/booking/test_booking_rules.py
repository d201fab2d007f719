"""Booking rules: one active booking each, capacity never exceeded, clear refusals."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from meded.models import SentEmail
from sessions_app.booking.services import book, cancel, claim_offer
from sessions_app.errors import SessionError
from sessions_app.models import Booking
from tests.factories.core import UserFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory
from tests.support.notifications import send_queued

pytestmark = pytest.mark.django_db


def test_a_free_place_is_confirmed_and_emailed_with_a_calendar_file(student_user):
    session = TeachingSessionFactory(capacity=2)
    booking = book(student_user, session)
    assert booking.status == "confirmed" and booking.confirmed_at
    send_queued()
    email = SentEmail.objects.get(kind="booking_confirmed")
    assert email.recipient == student_user
    assert email.attachments[0]["mimetype"] == "text/calendar"
    assert "BEGIN:VCALENDAR" in email.attachments[0]["content"]


def test_when_full_the_student_joins_the_waiting_list():
    session = TeachingSessionFactory(capacity=1)
    first, second = UserFactory(), UserFactory()
    assert book(first, session).status == "confirmed"
    assert book(second, session).status == "waiting"


def test_unlimited_capacity_always_confirms():
    session = TeachingSessionFactory(capacity=None)
    assert all(book(UserFactory(), session).status == "confirmed" for _ in range(5))


def test_booking_twice_is_refused_and_changes_nothing(student_user):
    session = TeachingSessionFactory()
    book(student_user, session)
    with pytest.raises(SessionError, match="already have a booking"):
        book(student_user, session)
    assert Booking.objects.count() == 1


def test_waiting_twice_is_refused(student_user):
    session = TeachingSessionFactory(capacity=1)
    BookingFactory(session=session)
    book(student_user, session)
    with pytest.raises(SessionError, match="already have a booking"):
        book(student_user, session)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "cancelled"}, "cancelled"),
        ({"status": "draft"}, "not open for booking"),
        ({"booking_opens_in": timedelta(days=1)}, "Booking opens on"),
        ({"booking_closes_in": timedelta(hours=-1)}, "has closed"),
    ],
)
def test_refusals_say_why(student_user, changes, message):
    now = timezone.now()
    kwargs = {}
    if "status" in changes:
        kwargs["status"] = changes["status"]
    if "booking_opens_in" in changes:
        kwargs["booking_opens"] = now + changes["booking_opens_in"]
    if "booking_closes_in" in changes:
        kwargs["booking_closes"] = now + changes["booking_closes_in"]
    session = TeachingSessionFactory(**kwargs)
    with pytest.raises(SessionError, match=message):
        book(student_user, session)
    assert not Booking.objects.exists()


def test_past_session_cannot_be_booked(student_user):
    start = timezone.now() - timedelta(days=1)
    session = TeachingSessionFactory(starts_at=start, ends_at=start + timedelta(hours=1))
    with pytest.raises(SessionError, match="already started"):
        book(student_user, session)


def test_newcomers_do_not_jump_the_queue_while_an_offer_is_open():
    session = TeachingSessionFactory(capacity=1)
    holder = BookingFactory(session=session)
    waiting = book(UserFactory(), session)
    cancel(holder.student, holder)
    waiting.refresh_from_db()
    assert waiting.status == "offered"
    assert book(UserFactory(), session).status == "waiting"


def test_cancelling_before_the_deadline_is_not_late(student_user):
    session = TeachingSessionFactory(starts_at=timezone.now() + timedelta(hours=5))
    booking = cancel(student_user, book(student_user, session))
    assert booking.status == "cancelled" and not booking.cancelled_late


def test_cancelling_after_the_deadline_is_allowed_but_recorded_late(student_user):
    session = TeachingSessionFactory(
        starts_at=timezone.now() + timedelta(hours=1), cancellation_deadline_hours=2
    )
    booking = cancel(student_user, book(student_user, session))
    assert booking.status == "cancelled" and booking.cancelled_late


def test_the_deadline_is_counted_in_real_hours_across_the_clock_change(student_user):
    # Clocks go back 02:00 BST -> 01:00 GMT on 2026-10-25; session 03:00 GMT = 03:00 UTC.
    from datetime import UTC, datetime

    start = datetime(2026, 10, 25, 3, 0, tzinfo=UTC)
    with time_machine.travel(datetime(2026, 10, 24, 12, 0, tzinfo=UTC), tick=False):
        session = TeachingSessionFactory(
            starts_at=start, ends_at=start + timedelta(hours=1), cancellation_deadline_hours=2
        )
        booking = book(student_user, session)
    # 00:30 UTC is 01:30 BST (first pass): 2.5 real hours before the start -> on time.
    with time_machine.travel(datetime(2026, 10, 25, 0, 30, tzinfo=UTC), tick=False):
        assert not cancel(student_user, booking).cancelled_late


def test_someone_else_cannot_cancel_my_booking(student_user):
    booking = BookingFactory()
    with pytest.raises(SessionError, match="your own"):
        cancel(student_user, booking)
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_claiming_an_offer_confirms_it(student_user):
    booking = BookingFactory(
        student=student_user,
        status="offered",
        offer_expires_at=timezone.now() + timedelta(hours=1),
    )
    assert claim_offer(student_user, booking).status == "confirmed"
    assert SentEmail.objects.filter(kind="booking_confirmed", recipient=student_user).exists()


def test_an_expired_offer_cannot_be_claimed(student_user):
    booking = BookingFactory(
        student=student_user,
        status="offered",
        offer_expires_at=timezone.now() - timedelta(minutes=1),
    )
    with pytest.raises(SessionError, match="run out"):
        claim_offer(student_user, booking)


def test_database_refuses_two_active_bookings_for_one_student(student_user):
    from django.db import IntegrityError, transaction

    session = TeachingSessionFactory()
    BookingFactory(session=session, student=student_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(session=session, student=student_user, status="waiting")
    # A cancelled booking in the history does not block a new one.
    Booking.objects.update(status="cancelled")
    BookingFactory(session=session, student=student_user)


def test_database_refuses_sessions_that_end_before_they_start():
    from django.db import IntegrityError, transaction

    start = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        TeachingSessionFactory(starts_at=start, ends_at=start)
    with pytest.raises(IntegrityError), transaction.atomic():
        TeachingSessionFactory(capacity=0)
