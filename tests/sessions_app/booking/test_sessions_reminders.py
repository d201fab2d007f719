"""Reminder emails 24 h and 1 h before, each once per booking, right across GMT/BST."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from meded.models import SentEmail
from meded.periodic import periodic_jobs as due_jobs
from sessions_app.booking.reminders import send_reminders
from tests.factories.sessions import BookingFactory, TeachingSessionFactory
from tests.support.notifications import send_queued

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)


def keys():
    return sorted(
        SentEmail.objects.filter(kind="session_reminder").values_list("object_key", flat=True)
    )


def booking_made(at, start=START, **kwargs):
    with time_machine.travel(at, tick=False):
        session = TeachingSessionFactory(
            starts_at=start, ends_at=start + timedelta(hours=1), **kwargs
        )
        return BookingFactory(session=session)


def test_jobs_are_registered():
    assert {
        "sessions_app.reminders",
        "sessions_app.waitlist_expiry",
        "sessions_app.waitlist_promotions",
    } <= set(due_jobs())


def test_one_reminder_a_day_before_and_one_an_hour_before():
    booking = booking_made(START - timedelta(days=5))
    with time_machine.travel(START - timedelta(hours=30), tick=False):
        assert send_reminders() == 0
    with time_machine.travel(START - timedelta(hours=23), tick=False):
        assert send_reminders() == 1
        assert send_reminders() == 0  # once only
    with time_machine.travel(START - timedelta(minutes=50), tick=False):
        assert send_reminders() == 1
    assert keys() == [
        f"sessions_app.booking:{booking.pk}:reminder-1h",
        f"sessions_app.booking:{booking.pk}:reminder-24h",
    ]


def test_a_late_run_still_catches_up():
    booking_made(START - timedelta(days=5))
    with time_machine.travel(START - timedelta(hours=5), tick=False):  # beat was down until now
        assert send_reminders() == 1


def test_no_reminder_for_a_window_booked_inside():
    booking_made(START - timedelta(hours=10))
    with time_machine.travel(START - timedelta(hours=9), tick=False):
        assert send_reminders() == 0  # booked 10 h before: no 24 h reminder
    with time_machine.travel(START - timedelta(minutes=30), tick=False):
        assert send_reminders() == 1  # but the 1 h one


def test_no_reminder_when_cancelled():
    booking = booking_made(START - timedelta(days=5))
    booking.status = "cancelled"
    booking.save()
    other = booking_made(START - timedelta(days=5), status="cancelled")
    assert other.session.status == "cancelled"
    with time_machine.travel(START - timedelta(hours=2), tick=False):
        assert send_reminders() == 0


def test_reminder_across_the_clock_change():
    # Session 09:00 GMT on Mon 2026-10-26 (clocks went back on the 25th): 24 h before is
    # 09:00 UTC on the 25th = 09:00 GMT, not 10:00 BST.
    start = datetime(2026, 10, 26, 9, 0, tzinfo=UTC)
    booking_made(datetime(2026, 10, 20, 9, 0, tzinfo=UTC), start=start)
    with time_machine.travel(datetime(2026, 10, 25, 8, 55, tzinfo=UTC), tick=False):
        assert send_reminders() == 0
    with time_machine.travel(datetime(2026, 10, 25, 9, 0, tzinfo=UTC), tick=False):
        assert send_reminders() == 1
        send_queued()
        body = SentEmail.objects.get(kind="session_reminder").body_text
    assert "Monday 26 October 2026, 09:00" in body
