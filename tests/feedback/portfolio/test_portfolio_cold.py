"""The tutor's portfolio when nothing is remembered: what it lists, in the same statements for 1
and 12 sessions taught, and the small reads of every visit (certificates, links, counts per
session, questions) compiled once per process (meded/prepared.py), not on every visit."""

import pytest
from django.urls import reverse

from feedback.portfolio.services import save_reflection
from tests.factories import TutorFactory
from tests.factories.feedback import past_session
from tests.support.remembering import cold_visit, orm_compiles  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]


def taught(client, n: int):
    tutor = TutorFactory()
    sessions = []
    for i in range(n):
        session, _ = past_session(tutors=[tutor], days_ago=i + 1, title=f"Taught {n}-{i}")
        save_reflection(tutor, session, f"Note {i}", in_portfolio=True)
        sessions.append(session)
    client.force_login(tutor)
    return sessions


def test_a_cold_portfolio_lists_every_session_in_the_same_statements_for_1_and_12(client):
    url = reverse("feedback:portfolio")
    sessions = taught(client, 1)
    page, one = cold_visit(client, url)
    assert all(s.title in page for s in sessions)
    sessions = taught(client, 12)
    page, twelve = cold_visit(client, url)
    assert all(s.title in page for s in sessions)
    assert len(twelve) == len(one)
    assert len(one) <= 11, "\n".join(one)


def test_a_cold_portfolio_compiles_only_its_joined_reads(
    client,
    orm_compiles,  # noqa: F811 (the fixture)
):
    url = reverse("feedback:portfolio")
    taught(client, 3)
    cold_visit(client, url)  # the first visit in this process compiles the Prepared reads
    orm_compiles.clear()
    cold_visit(client, url)
    # the session, the member and their roles (Django's own); the sessions taught, the
    # observations and the reflections (joined: the ORM's). Nothing is released yet here, so no
    # answers are read.
    assert len(orm_compiles) <= 6, "\n".join(orm_compiles)
