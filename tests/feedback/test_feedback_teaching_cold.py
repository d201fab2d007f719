"""A tutor's teaching page when nothing is remembered: the released results shown, and the
dashboard's counts per session and per question compiled once per process (meded/prepared.py),
not on every visit."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.factories.core import TutorFactory
from tests.factories.feedback import give_feedback, past_session
from tests.support.remembering import cold_visit, orm_compiles  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]


@pytest.fixture
def tutor(client):
    """A tutor with two sessions released (window closed, three answers each)."""
    member = TutorFactory()
    for days_ago in (40, 41):
        session, students = past_session(
            attendees=3, tutors=[member], days_ago=days_ago, title=f"Taught {days_ago}"
        )
        with time_machine.travel(session.ends_at + timedelta(hours=1), tick=False):
            for student in students:
                give_feedback(student, session, overall=4)
    client.force_login(member)
    return member


def test_a_cold_teaching_page_shows_the_released_results(client, tutor):
    page, _ = cold_visit(client, reverse("feedback:teaching"))
    assert "Taught 40" in page and "Taught 41" in page and "4.0" in page


def test_a_cold_teaching_page_compiles_only_its_joined_reads(
    client,
    tutor,
    orm_compiles,  # noqa: F811 (the fixture)
):
    url = reverse("feedback:teaching")
    cold_visit(client, url)  # the first visit in this process compiles the Prepared reads
    orm_compiles.clear()
    cold_visit(client, url)
    # the session, the member and their roles (Django's own); the sessions taught and their
    # tutors, the choice answers (a JSON column), the observations, the sessions to observe (and
    # its subquery); not the counts per session and per question, nor the questions
    assert len(orm_compiles) <= 9, "\n".join(orm_compiles)
