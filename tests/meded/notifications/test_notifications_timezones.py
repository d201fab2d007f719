"""Reminder windows are computed in UTC from the stored start and shown in UK time: right on
both sides of the clock changes (2026-03-29 spring forward, 2026-10-25 fall back)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.template import Context, Template

from meded.notifications.timefmt import local_time
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_kinds")]

LONDON = ZoneInfo("Europe/London")


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("dt", "text"),
    [
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), "Sun 29 Mar 2026, 00:30 GMT"),
        (datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "Sun 29 Mar 2026, 02:30 BST"),
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "Sun 25 Oct 2026, 01:30 BST"),
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "Sun 25 Oct 2026, 01:30 GMT"),
        (datetime(2026, 7, 1, 17, 0, tzinfo=UTC), "Wed 1 Jul 2026, 18:00 BST"),
    ],
)
def test_local_time_names_the_uk_zone(dt, text):
    assert local_time(dt) == text
    rendered = Template("{% load meded_email %}{{ dt|local_time }}").render(Context({"dt": dt}))
    assert rendered == text


def test_local_time_of_nothing_is_empty():
    assert local_time(None) == ""
    assert Template("{% load meded_email %}{{ x|local_time }}").render(Context({})) == ""


def run_due_at(now: datetime):
    from tests.support.notifications import remind_sessions_due

    with time_machine.travel(now, tick=False):
        return remind_sessions_due()


@pytest.mark.parametrize(
    ("starts", "not_yet", "due", "shown"),
    [
        # autumn: 23.5 h on the wall clock is 24.5 h of real time -> not due yet
        (
            london(2026, 10, 25, 12, 0),
            london(2026, 10, 24, 12, 30),
            london(2026, 10, 24, 13, 0),
            "Sun 25 Oct 2026, 12:00 GMT",
        ),
        # spring: 24.5 h on the wall clock is 23.5 h of real time -> already due
        (
            london(2026, 3, 29, 12, 0),
            london(2026, 3, 28, 10, 59),
            london(2026, 3, 28, 11, 30),
            "Sun 29 Mar 2026, 12:00 BST",
        ),
        # the day before each change, on the old side
        (
            london(2026, 10, 24, 18, 0),
            london(2026, 10, 23, 17, 59),
            london(2026, 10, 23, 18, 0),
            "Sat 24 Oct 2026, 18:00 BST",
        ),
        (
            london(2026, 3, 28, 18, 0),
            london(2026, 3, 27, 17, 59),
            london(2026, 3, 27, 18, 0),
            "Sat 28 Mar 2026, 18:00 GMT",
        ),
    ],
    ids=["autumn-after", "spring-after", "autumn-before", "spring-before"],
)
def test_a_24_hour_reminder_is_due_24_real_hours_before_and_shows_uk_time(
    starts, not_yet, due, shown, django_capture_on_commit_callbacks
):
    session = TeachingSessionFactory(starts_at=starts, title="Cardiac cycle")
    BookingFactory(session=session)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due_at(not_yet) == 0
        assert run_due_at(due) == 1
        assert run_due_at(due + timedelta(minutes=5)) == 0
    # Python subtracts two datetimes of the same zone on the wall clock: convert to UTC first.
    real = starts.astimezone(UTC)
    assert real - not_yet.astimezone(UTC) > timedelta(hours=24) >= real - due.astimezone(UTC)
    [message] = mail.outbox
    assert f"Cardiac cycle starts {shown}." in message.body
    assert shown in message.alternatives[0][0]
    assert message.subject == f"Reminder: Cardiac cycle at {shown[-9:]}"


@pytest.mark.parametrize(
    ("starts", "not_yet", "due", "wrong_hours"),
    [
        (
            london(2026, 10, 25, 12, 0),
            london(2026, 10, 24, 12, 30),
            london(2026, 10, 24, 13, 0),
            ("11:00", "13:00"),
        ),
        (
            london(2026, 3, 29, 12, 0),
            london(2026, 3, 28, 10, 59),
            london(2026, 3, 28, 11, 30),
            ("11:00", "13:00"),
        ),
    ],
    ids=["autumn", "spring"],
)
def test_the_real_session_reminder_across_the_clock_change(
    starts, not_yet, due, wrong_hours, django_capture_on_commit_callbacks
):
    """sessions_app's 24 h reminder, run by the periodic dispatch, shows 12:00 UK time."""
    from meded.notifications.tasks import dispatch_due

    session = TeachingSessionFactory(starts_at=starts, title="Cardiac cycle")
    booked = starts - timedelta(days=5)
    BookingFactory(session=session, joined_at=booked, confirmed_at=booked)
    # Delivery runs on commit, still at the frozen time (a reminder past its session expires).
    with time_machine.travel(not_yet, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert dispatch_due().get("sessions_app.reminders") == 0
    with time_machine.travel(due, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert dispatch_due().get("sessions_app.reminders") == 1
        assert dispatch_due().get("sessions_app.reminders") == 0
    [message] = [m for m in mail.outbox if "Cardiac cycle" in m.subject]
    assert "12:00" in message.subject
    assert "12:00 to 13:00" in message.body  # the factory's session lasts an hour
    assert not any(f"{hour} to" in message.body for hour in wrong_hours)
