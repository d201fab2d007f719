"""`manage.py send_due_emails` runs the periodic work once in-process (no broker, or cron)."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from meded.models import SentEmail
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)


def test_the_command_sends_what_is_due_once_and_reports_counts(eager_celery):
    with time_machine.travel(START - timedelta(days=5), tick=False):
        session = TeachingSessionFactory(starts_at=START, ends_at=START + timedelta(hours=1))
        booking = BookingFactory(session=session)
    with time_machine.travel(START - timedelta(hours=23), tick=False):
        out = StringIO()
        call_command("send_due_emails", stdout=out)
        call_command("send_due_emails", stdout=StringIO())
    assert "sessions_app.reminders: 1" in out.getvalue()
    assert "retried: 0" in out.getvalue()
    sent = SentEmail.objects.filter(kind="session_reminder", recipient=booking.student)
    assert sent.count() == 1
