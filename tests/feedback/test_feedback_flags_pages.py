"""The dashboard's flags as history grows: flagged sessions newest first, a page at a time, so
the list and the page's queries stay the same size with ten times the history."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback.views import committee as views
from tests.factories.core import CommitteeFactory, TutorFactory
from tests.factories.feedback import give_feedback, past_session

pytestmark = pytest.mark.django_db

URL = "/committee/feedback/?round="  # every round: the whole history


def _poorly_rated(n: int, days_ago: int, tutor) -> None:
    for i in range(n):
        session, students = past_session(
            attendees=3, tutors=[tutor], days_ago=days_ago + i, title=f"Flagged {days_ago + i:03d}"
        )
        with time_machine.travel(session.ends_at + timedelta(hours=1), tick=False):
            for student in students[:3]:
                give_feedback(student, session, overall=1)


def _flags(client, query=""):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL + query)
        assert response.status_code == 200
    html = response.content.decode()
    section = re.search(r'id="flags-heading".*?</section>', html, re.S).group(0)
    return len(ctx.captured_queries), re.findall(r"Flagged \d{3}", section)


@pytest.fixture
def committee(client, monkeypatch):
    monkeypatch.setattr(views, "FLAGS_PAGE", 2)
    member = CommitteeFactory()
    client.force_login(member)
    return member


def test_flagged_sessions_come_newest_first_a_page_at_a_time(client, committee):
    _poorly_rated(3, days_ago=40, tutor=TutorFactory())
    assert _flags(client)[1] == ["Flagged 040", "Flagged 041"]
    assert _flags(client, "&fpage=2")[1] == ["Flagged 042"]


def test_queries_and_flags_listed_are_the_same_at_two_history_sizes(client, committee):
    tutor = TutorFactory()
    _poorly_rated(3, days_ago=40, tutor=tutor)
    small_queries, small_flags = _flags(client)
    _poorly_rated(6, days_ago=100, tutor=tutor)
    queries, flags = _flags(client)
    assert (queries, len(flags)) == (small_queries, len(small_flags)) == (queries, 2)
