"""A tutor's teaching page as history grows: the per-session table is paginated newest first and
the trend shows the latest sessions with results, so its queries and rows stay the same."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.views import tutor as views
from tests.factories.core import TutorFactory
from tests.factories.feedback import give_feedback, past_session
from tests.support import html as parsed

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]


def _taught(tutor, n: int, days_ago: int) -> None:
    for i in range(n):
        session, students = past_session(
            attendees=3, tutors=[tutor], days_ago=days_ago + i, title=f"Taught {days_ago + i:03d}"
        )
        with time_machine.travel(session.ends_at + timedelta(hours=1), tick=False):
            for student in students[:3]:
                give_feedback(student, session, overall=4)


def _page(client, query=""):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("feedback:teaching") + query)
        assert response.status_code == 200
    html = response.content.decode()
    tables = [parsed.elements(t, "tr")[1:] for t in _tables(html)]
    return len(ctx.captured_queries), [[r.text for r in rows] for rows in tables]


def _tables(html: str) -> list[str]:
    import re

    return re.findall(r"<table.*?</table>", html, re.S)


@pytest.fixture
def tutor(client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    monkeypatch.setattr(views, "TREND", 2)
    member = TutorFactory()
    client.force_login(member)
    return member


def test_sessions_come_newest_first_a_page_at_a_time(client, tutor):
    _taught(tutor, 4, days_ago=40)
    _, (sessions, trend, *_) = _page(client)
    assert len(sessions) == 3 and "Taught 040" in sessions[0] and "Taught 043" not in sessions[-1]
    _, (older, *_) = _page(client, "?page=2")
    assert len(older) == 1 and "Taught 043" in older[0]
    assert len(trend) == 2 and "Taught 041" in trend[0] and "Taught 040" in trend[1]


def test_queries_and_rows_are_the_same_at_two_history_sizes(client, tutor):
    _taught(tutor, 4, days_ago=40)
    small_queries, small_tables = _page(client)
    _taught(tutor, 6, days_ago=100)
    queries, tables = _page(client)
    assert queries == small_queries
    assert [len(rows) for rows in tables] == [len(rows) for rows in small_tables]
    assert [len(rows) for rows in tables[:2]] == [3, 2]  # the sessions and the trend


def test_a_released_session_shows_on_the_next_visit(client, tutor):
    _taught(tutor, 1, days_ago=40)
    _, (before, *_) = _page(client)
    _taught(tutor, 1, days_ago=20)
    _, (after, *_) = _page(client)
    assert len(after) == len(before) + 1 and "Taught 020" in after[0]


def test_two_tutors_never_see_each_others_sessions(client, tutor):
    _taught(tutor, 1, days_ago=40)
    _, (mine, *_) = _page(client)
    other = TutorFactory()
    _taught(other, 1, days_ago=30)
    client.force_login(other)
    _, (theirs, *_) = _page(client)
    assert "Taught 040" in mine[0] and "Taught 030" in theirs[0]
    assert all("Taught 040" not in row for row in theirs)


def test_a_second_visit_costs_the_same_few_queries_at_two_history_sizes(client, tutor):
    _taught(tutor, 2, days_ago=40)
    _page(client)
    small, _ = _page(client)
    _taught(tutor, 8, days_ago=100)
    _page(client)
    large, _ = _page(client)
    assert small == large <= 3
