"""Cancelling: an email note, and an undo for five minutes while the place is still free."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from meded.models import SentEmail
from sessions_app.booking.services import book, cancel, undo_cancel
from sessions_app.errors import SessionError
from sessions_app.models import Booking
from tests.factories.core import UserFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory
from tests.support.notifications import send_queued

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_cancelling_sends_one_cancellation_email(frozen):
    booking = BookingFactory(session=TeachingSessionFactory(starts_at=NOW + timedelta(days=3)))
    cancel(booking.student, booking)
    send_queued()
    email = SentEmail.objects.get(kind="booking_cancelled")
    assert email.recipient == booking.student
    assert booking.session.title in email.subject and "undo" in email.body_text
    assert "undo" in email.body_html


def test_undo_within_five_minutes_gives_the_place_back(frozen):
    session = TeachingSessionFactory(capacity=2, starts_at=NOW + timedelta(days=3))
    booking = BookingFactory(session=session)
    cancel(booking.student, booking)
    frozen.shift(timedelta(minutes=4))
    restored = undo_cancel(booking.student, booking)
    assert restored.status == "confirmed" and restored.cancel_reason == ""


def test_undo_after_five_minutes_is_refused(frozen):
    booking = BookingFactory(session=TeachingSessionFactory(starts_at=NOW + timedelta(days=3)))
    cancel(booking.student, booking)
    frozen.shift(timedelta(minutes=6))
    with pytest.raises(SessionError, match="too late"):
        undo_cancel(booking.student, booking)
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_no_undo_once_the_place_was_offered_to_the_next_person(frozen):
    session = TeachingSessionFactory(capacity=1, starts_at=NOW + timedelta(days=3))
    holder = BookingFactory(session=session)
    waiting = book(UserFactory(), session)
    cancel(holder.student, holder)
    waiting.refresh_from_db()
    assert waiting.status == "offered"
    with pytest.raises(SessionError, match="already been offered"):
        undo_cancel(holder.student, holder)
    waiting.refresh_from_db()
    assert waiting.status == "offered"


def test_leaving_the_waiting_list_can_be_undone_keeping_the_position(frozen):
    session = TeachingSessionFactory(capacity=1, starts_at=NOW + timedelta(days=3))
    BookingFactory(session=session)
    first, _second = (book(UserFactory(), session, now=NOW + timedelta(minutes=i)) for i in (1, 2))
    cancel(first.student, first)
    restored = undo_cancel(first.student, first)
    assert restored.status == "waiting"
    assert (
        Booking.objects.filter(session=session, status="waiting").order_by("joined_at").first()
        == restored
    )


def test_nobody_can_undo_someone_elses_cancellation(frozen):
    booking = BookingFactory(session=TeachingSessionFactory(starts_at=NOW + timedelta(days=3)))
    cancel(booking.student, booking)
    with pytest.raises(SessionError):
        undo_cancel(UserFactory(), booking)


def test_the_page_offers_undo_and_it_works_without_javascript(client, frozen):
    booking = BookingFactory(session=TeachingSessionFactory(starts_at=NOW + timedelta(days=3)))
    client.force_login(booking.student)
    session = booking.session
    response = client.post(reverse("sessions_app:cancel", args=[session.pk]), follow=True)
    body = response.content.decode()
    assert f'action="/sessions/{session.pk}/undo-cancel/"' in body and "09:05" in body
    response = client.post(reverse("sessions_app:undo_cancel", args=[session.pk]), follow=True)
    assert "your place is back" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    frozen.shift(timedelta(minutes=10))
    client.post(reverse("sessions_app:cancel", args=[session.pk]))
    frozen.shift(timedelta(minutes=6))
    body = client.get(reverse("sessions_app:detail", args=[session.pk])).content.decode()
    assert "undo-cancel" not in body


def test_visitors_and_others_cannot_undo(client, frozen):
    booking = BookingFactory(session=TeachingSessionFactory(starts_at=NOW + timedelta(days=3)))
    cancel(booking.student, booking)
    url = reverse("sessions_app:undo_cancel", args=[booking.session.pk])
    assert client.post(url).status_code == 302  # to log in
    client.force_login(UserFactory())
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405
    booking.refresh_from_db()
    assert booking.status == "cancelled"
