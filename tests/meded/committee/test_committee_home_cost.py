"""The committee's home costs the same however much history the society has: its queries and the
tasks it lists do not grow with past sessions, their bookings and their feedback."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories.core import CommitteeFactory, TutorFactory
from tests.factories.feedback import give_feedback, past_session
from tests.factories.sessions import TeachingSessionFactory

pytestmark = pytest.mark.django_db


def _history(n: int) -> None:
    """Past sessions whose feedback was given and released, and an old clash long over."""
    for _ in range(n):
        session, students = past_session(attendees=3, days_ago=60)
        with time_machine.travel(session.ends_at + timedelta(hours=1), tick=False):
            for student in students[:3]:
                give_feedback(student, session, overall=4)
        tutor = session.tutors.first()
        TeachingSessionFactory(
            starts_at=session.starts_at, ends_at=session.ends_at, venue="Old", tutors=[tutor]
        )


def _home(client) -> tuple[int, list[str], str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/committee/")
        assert response.status_code == 200
    tasks = [f"{t.count} {t.label}" for t in response.context["tasks"]]
    return len(ctx.captured_queries), tasks, response.content.decode()


def test_queries_and_tasks_are_the_same_at_two_history_sizes(client):
    tutor = TutorFactory()
    start = timezone.now() + timedelta(days=5)
    TeachingSessionFactory(starts_at=start, ends_at=start + timedelta(hours=1), tutors=[tutor])
    TeachingSessionFactory(
        starts_at=start + timedelta(minutes=30), ends_at=start + timedelta(hours=2), tutors=[tutor]
    )
    client.force_login(CommitteeFactory())
    _history(1)
    small_queries, small_tasks, _ = _home(client)
    _history(5)
    queries, tasks, body = _home(client)
    assert (queries, tasks) == (small_queries, small_tasks)
    assert "2 sessions clash with another" in body  # only the upcoming pair, never history's
