"""Feedback requests go to attendees and recording viewers once, with one reminder."""

from datetime import timedelta

import pytest
import time_machine

from feedback.emails import send_due_feedback_requests
from meded.models import SentEmail
from meded.notifications.kinds import due_jobs
from sessions_app.models import Resource, ResourceAccess
from tests.factories.core import UserFactory
from tests.factories.feedback import attend, give_feedback, past_session

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
    request = SentEmail.objects.filter(kind="feedback_request").first()
    assert f"/feedback/sessions/{session.pk}/" in request.body_text


def test_a_missed_run_catches_up_later():
    _session, (a,) = past_session(attendees=1, days_ago=5)
    assert send_due_feedback_requests() == 1
    assert _sent("feedback_request") == [a.email]
