"""Slides reminder: tutors of a session within N days with no published slides, once each."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from meded.models import SentEmail
from meded.periodic import periodic_jobs as due_jobs
from sessions_app.resources.services import send_slides_reminders
from tests.factories.core import TutorFactory
from tests.factories.resources import ResourceFactory
from tests.factories.sessions import TeachingSessionFactory
from tests.support.notifications import send_queued

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")
NOW = datetime(2026, 10, 22, 9, 0, tzinfo=LONDON)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def _session(starts_in: timedelta, **kwargs):
    start = NOW + starts_in
    return TeachingSessionFactory(starts_at=start, ends_at=start + timedelta(hours=1), **kwargs)


def test_each_tutor_gets_one_reminder_per_session(db, frozen, settings):
    settings.MEDED_SLIDES_REMINDER_DAYS = 3
    a, b = TutorFactory(), TutorFactory()
    session = _session(timedelta(days=2), tutors=[a, b])
    assert send_slides_reminders() == 2
    assert send_slides_reminders() == 0
    send_queued()  # what an email says is written when it goes
    sent = SentEmail.objects.filter(kind="resource_slides_reminder")
    assert {e.recipient for e in sent} == {a, b}
    assert session.title in sent.first().subject
    assert f"/sessions/{session.pk}/resources/upload/" in sent.first().body_text


def test_no_reminder_when_slides_are_published_or_the_session_is_far_off_or_past(db, frozen):
    tutor = TutorFactory()
    done = _session(timedelta(days=1), tutors=[tutor])
    ResourceFactory(session=done, kind="slides")
    _session(timedelta(days=3, minutes=1), tutors=[tutor])
    _session(timedelta(hours=-2), tutors=[tutor])
    _session(timedelta(days=1), tutors=[tutor], status="draft")
    assert send_slides_reminders() == 0


def test_slides_awaiting_review_still_count_as_missing(db, frozen):
    tutor = TutorFactory()
    session = _session(timedelta(days=1), tutors=[tutor])
    ResourceFactory(session=session, kind="slides", status="awaiting_review")
    assert send_slides_reminders() == 1


def test_the_window_is_measured_in_real_time_across_the_clock_change(db, settings):
    """Clocks go back on 25 Oct 2026: 3 days before a 09:00 BST-side start is 72 real hours."""
    settings.MEDED_SLIDES_REMINDER_DAYS = 3
    tutor = TutorFactory()
    start = datetime(2026, 10, 26, 9, 0, tzinfo=LONDON).astimezone(UTC)  # GMT, after the change
    TeachingSessionFactory(starts_at=start, ends_at=start + timedelta(hours=1), tutors=[tutor])
    with time_machine.travel(start - timedelta(hours=72, minutes=1), tick=False):
        assert send_slides_reminders() == 0
    with time_machine.travel(start - timedelta(hours=72), tick=False):
        assert send_slides_reminders() == 1


def test_the_job_is_registered_for_the_beat(db):
    assert "sessions_app.slides_reminders" in due_jobs()
