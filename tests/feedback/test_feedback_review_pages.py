"""The free-text review queue as a page: a page of comments at a time with the total waiting, so
its queries and the comments it renders do not grow with an unreviewed history."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback.views import committee as views
from tests.factories.core import CommitteeFactory
from tests.factories.feedback import give_feedback, past_session
from tests.support import html as parsed

pytestmark = pytest.mark.django_db

URL = "/committee/feedback/review/"


def _commented(n_sessions: int, days_ago: int = 40) -> None:
    """Sessions released long ago (window closed, three responses) whose comments nobody read."""
    for _ in range(n_sessions):
        session, students = past_session(attendees=3, days_ago=days_ago)
        with time_machine.travel(session.ends_at + timedelta(hours=1), tick=False):
            for i, student in enumerate(students[:3]):
                give_feedback(student, session, text=f"Comment {session.pk}-{i}")


def _page(client, url=URL) -> tuple[int, list[str], str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
    html = response.content.decode()
    comments = [b.text.strip() for b in parsed.elements(html, "blockquote")]
    return len(ctx.captured_queries), comments, parsed.text(html)


@pytest.fixture
def committee(client):
    member = CommitteeFactory()
    client.force_login(member)
    return member


def test_the_queue_shows_a_page_of_comments_and_how_many_wait(client, committee, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    _commented(2)
    _, first, text = _page(client)
    assert len(first) == 4
    assert "6 comments awaiting review" in text
    _, second, _ = _page(client, URL + "?page=2")
    assert len(second) == 2 and not set(first) & set(second)


def test_queries_and_comments_rendered_are_the_same_at_two_history_sizes(
    client, committee, monkeypatch
):
    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    _commented(2)
    small_queries, small_comments, small_text = _page(client)
    _commented(4, days_ago=80)
    queries, comments, text = _page(client)
    assert (queries, len(comments)) == (small_queries, len(small_comments)) == (queries, 4)
    assert "6 comments awaiting review" in small_text and "18 comments awaiting" in text
