"""The fair waiting list: first joined, first offered; offers run out and pass on."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from meded.models import SentEmail
from sessions_app.booking.services import book, cancel, claim_offer
from sessions_app.booking.waitlist import expire_offers, promote_waiting, waiting_position
from sessions_app.models import Booking
from sessions_app.scheduling.services import save_session
from tests.factories.core import UserFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory
from tests.support.mailings import confirm_action
from tests.support.notifications import send_queued

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def full_session(capacity=1, **kwargs):
    session = TeachingSessionFactory(capacity=capacity, starts_at=NOW + timedelta(days=2), **kwargs)
    holders = [BookingFactory(session=session) for _ in range(capacity)]
    return session, holders


def queue(session, n):
    students = [UserFactory() for _ in range(n)]
    bookings = []
    for i, s in enumerate(students):
        bookings.append(book(s, session, now=NOW + timedelta(minutes=i)))
    return bookings


def status(booking):
    booking.refresh_from_db()
    return booking.status


def test_a_cancelled_place_is_offered_to_the_first_in_the_queue(frozen):
    session, (holder,) = full_session()
    first, second = queue(session, 2)
    cancel(holder.student, holder)
    assert (status(first), status(second)) == ("offered", "waiting")
    first.refresh_from_db()
    assert first.offer_expires_at == NOW + timedelta(hours=12)
    send_queued()
    email = SentEmail.objects.get(kind="waitlist_offer")
    assert email.recipient == first.student
    assert f"/sessions/{session.pk}/" in email.body_text


def test_the_claim_window_ends_before_the_session_starts(frozen):
    session = TeachingSessionFactory(capacity=1, starts_at=NOW + timedelta(hours=3))
    holder = BookingFactory(session=session)
    (first,) = queue(session, 1)
    cancel(holder.student, holder)
    first.refresh_from_db()
    assert first.offer_expires_at == session.starts_at


def test_an_unclaimed_offer_passes_to_the_next_person(frozen):
    session, (holder,) = full_session()
    first, second = queue(session, 2)
    cancel(holder.student, holder)
    frozen.move_to(NOW + timedelta(hours=12, minutes=1))
    assert expire_offers() == 1
    assert (status(first), status(second)) == ("cancelled", "offered")
    first.refresh_from_db()
    assert first.cancel_reason == "offer_expired"
    # Running the job again changes nothing and offers nobody twice.
    assert expire_offers() == 0
    assert SentEmail.objects.filter(kind="waitlist_offer").count() == 2


def test_an_offer_that_has_not_run_out_stays(frozen):
    session, (holder,) = full_session()
    (first,) = queue(session, 1)
    cancel(holder.student, holder)
    frozen.move_to(NOW + timedelta(hours=11))
    assert expire_offers() == 0
    assert status(first) == "offered"


def test_someone_who_cancelled_is_never_offered_the_place_again(frozen):
    session, (holder,) = full_session()
    first, second = queue(session, 2)
    cancel(first.student, first)  # leaves the list
    cancel(holder.student, holder)
    assert (status(first), status(second)) == ("cancelled", "offered")
    assert not SentEmail.objects.filter(kind="waitlist_offer", recipient=first.student).exists()


def test_declining_an_offer_passes_it_on(frozen):
    session, (holder,) = full_session()
    first, second = queue(session, 2)
    cancel(holder.student, holder)
    first.refresh_from_db()
    cancel(first.student, first)
    first.refresh_from_db()
    assert first.cancel_reason == "offer_declined"
    assert status(second) == "offered"


def test_claiming_confirms_and_a_claimed_place_is_not_offered_again(frozen):
    session, (holder,) = full_session()
    first, second = queue(session, 2)
    cancel(holder.student, holder)
    first.refresh_from_db()
    claim_offer(first.student, first)
    assert (status(first), status(second)) == ("confirmed", "waiting")
    frozen.move_to(NOW + timedelta(days=1))
    expire_offers()
    promote_waiting()
    assert (status(first), status(second)) == ("confirmed", "waiting")


def test_auto_confirm_gives_the_place_at_once(frozen):
    session, (holder,) = full_session(auto_confirm_waitlist=True)
    (first,) = queue(session, 1)
    cancel(holder.student, holder)
    assert status(first) == "confirmed"
    assert SentEmail.objects.filter(kind="booking_confirmed", recipient=first.student).exists()


def test_raising_capacity_offers_the_new_places_in_order(frozen):
    session, _ = full_session(capacity=1)
    first, second, third = queue(session, 3)
    previous = {"capacity": 1}
    session.capacity = 3
    held = save_session(session, tutors=[], target_years=[], previous=previous)
    # two people would be emailed: the edit waits for its preview to be confirmed
    assert [status(b) for b in (first, second, third)] == ["waiting"] * 3
    confirm_action(None, "sessions.change_session", held.pk)
    assert [status(b) for b in (first, second, third)] == ["offered", "offered", "waiting"]


def test_one_new_place_is_offered_at_once(frozen):
    session, _ = full_session(capacity=1)
    first, second = queue(session, 2)
    session.capacity = 2
    save_session(session, tutors=[], target_years=[], previous={"capacity": 1})
    assert [status(b) for b in (first, second)] == ["offered", "waiting"]
    assert SentEmail.objects.get(kind="waitlist_offer").recipient == first.student


def test_promotion_job_catches_up_on_places_freed_elsewhere(frozen):
    session, (holder,) = full_session()
    (first,) = queue(session, 1)
    Booking.objects.filter(pk=holder.pk).update(status="cancelled")  # e.g. edited in the admin
    assert promote_waiting() == 1
    assert status(first) == "offered"


def test_waiting_position_follows_join_order(frozen):
    session, _ = full_session()
    first, second, third = queue(session, 3)
    assert [waiting_position(b) for b in (first, second, third)] == [1, 2, 3]
    cancel(first.student, first)
    second.refresh_from_db()
    assert waiting_position(second) == 1


def test_rejoining_goes_to_the_back(frozen):
    session, _ = full_session()
    first, _ = queue(session, 2)
    cancel(first.student, first)
    again = book(first.student, session, now=NOW + timedelta(minutes=10))
    assert waiting_position(again) == 2


def test_no_offers_once_the_session_has_started(frozen):
    session, (holder,) = full_session()
    (first,) = queue(session, 1)
    frozen.move_to(session.starts_at + timedelta(minutes=5))
    Booking.objects.filter(pk=holder.pk).update(status="cancelled")
    assert promote_waiting() == 0
    assert status(first) == "waiting"
    assert timezone.now() > session.starts_at
