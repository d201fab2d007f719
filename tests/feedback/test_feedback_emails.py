"""Feedback requests go to attendees and recording viewers once, with one reminder."""

from datetime import timedelta

import pytest
import time_machine

from feedback.emails import send_due_feedback_requests
from meded.models import SentEmail
from meded.periodic import periodic_jobs as due_jobs
from sessions_app.models import Resource, ResourceAccess
from tests.factories.core import UserFactory
from tests.factories.feedback import attend, give_feedback, past_session, watch
from tests.support.notifications import send_queued

pytestmark = pytest.mark.django_db


def _sent(kind):
    return sorted(SentEmail.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_requests_after_the_session_then_one_reminder(settings):
    settings.MEDED_FEEDBACK_WINDOW_DAYS = 14
    session, (a, b) = past_session(attendees=2, days_ago=0)
    absent = attend(session, attended=False).student
    viewer = UserFactory()
    rec = Resource.objects.create(kind="recording", title="Rec", session=session)
    ResourceAccess.objects.create(resource=rec, user=viewer, kind="view")
    watch(viewer, rec)
    assert "feedback_requests" in due_jobs()

    with time_machine.travel(session.starts_at + timedelta(minutes=30), tick=False):
        assert send_due_feedback_requests() == 0  # not ended yet
    with time_machine.travel(session.ends_at + timedelta(minutes=5), tick=False):
        assert send_due_feedback_requests() == 3
        assert send_due_feedback_requests() == 0  # idempotent
    assert _sent("feedback_request") == sorted([a.email, b.email, viewer.email])
    assert absent.email not in _sent("feedback_request")

    with time_machine.travel(session.ends_at + timedelta(days=1), tick=False):
        give_feedback(a, session)
    with time_machine.travel(session.ends_at + timedelta(days=3, minutes=10), tick=False):
        assert send_due_feedback_requests() == 2
        assert send_due_feedback_requests() == 0
    assert _sent("feedback_reminder") == sorted([b.email, viewer.email])
    with time_machine.travel(session.ends_at + timedelta(days=15), tick=False):
        assert send_due_feedback_requests() == 0
    send_queued()
    request = SentEmail.objects.filter(kind="feedback_request").first()
    assert f"/feedback/sessions/{session.pk}/" in request.body_text


def test_a_missed_run_catches_up_later():
    _session, (a,) = past_session(attendees=1, days_ago=5)
    assert send_due_feedback_requests() == 1
    assert _sent("feedback_request") == [a.email]


def test_requests_say_how_the_member_took_part_and_when_feedback_closes(settings):
    """Times are shown in London time on both sides of the clock change (25 Oct 2026).
    The session ends 10 Oct 17:00 UTC: live feedback closes 24 Oct 17:00 UTC = 18:00 BST.
    The recording goes out 20 Oct 10:30 UTC: its viewer may answer until 3 Nov 10:30 GMT."""
    from datetime import UTC, datetime

    from sessions_app.models import TeachingSession

    settings.MEDED_FEEDBACK_WINDOW_DAYS = 14
    settings.TIME_ZONE = "Europe/London"
    ends = datetime(2026, 10, 10, 17, 0, tzinfo=UTC)
    session, (attendee,) = past_session(attendees=1)
    TeachingSession.objects.filter(pk=session.pk).update(
        starts_at=ends - timedelta(hours=1), ends_at=ends
    )
    viewer = UserFactory()
    rec = Resource.objects.create(
        kind="recording",
        title="Rec",
        session=session,
        status="published",
        published_at=datetime(2026, 10, 20, 10, 30, tzinfo=UTC),
    )
    ResourceAccess.objects.create(resource=rec, user=viewer, kind="view")
    watch(viewer, rec)
    with time_machine.travel(datetime(2026, 10, 22, 9, 0, tzinfo=UTC), tick=False):
        assert send_due_feedback_requests() == 2
    send_queued()
    to_attendee = SentEmail.objects.get(kind="feedback_request", recipient=attendee).body_text
    to_viewer = SentEmail.objects.get(kind="feedback_request", recipient=viewer).body_text
    assert "Thank you for coming to" in to_attendee
    assert "until 24 October 2026, 18:00" in to_attendee
    assert "Thank you for watching the recording of" in to_viewer
    assert "until 3 November 2026, 10:30" in to_viewer
    with time_machine.travel(datetime(2026, 10, 26, 9, 0, tzinfo=UTC), tick=False):
        assert send_due_feedback_requests() == 1  # the attendee's window has closed
    send_queued()
    reminder = SentEmail.objects.get(kind="feedback_reminder", recipient=viewer).body_text
    assert "Feedback closes on 3 November 2026, 10:30" in reminder
