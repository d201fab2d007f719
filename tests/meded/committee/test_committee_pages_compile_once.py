"""The committee's home and a round's page, visited after a write (nothing remembered), read
their figures through statements compiled once per process (meded/prepared.py): the ORM builds
only the few reads that are not theirs, however many rounds, sessions and tasks there are."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories.allocation import accepted_tutor, ranking_round
from tests.factories.core import CommitteeFactory, TutorFactory
from tests.factories.sessions import TeachingSessionFactory
from tests.factories.tutors import ApplicationFactory, RecruitmentRoundFactory
from tests.support.remembering import cold_compiled, orm_compiles  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def society():
    """Work for every app: a round taking applications, one ranking, two clashing sessions."""
    open_round = RecruitmentRoundFactory()
    ApplicationFactory.create_batch(2, round=open_round, status="submitted")
    ranking = ranking_round()
    accepted_tutor(ranking)
    tutor = TutorFactory()
    start = timezone.now() + timedelta(days=3)
    for minutes in (0, 30):
        TeachingSessionFactory(
            starts_at=start + timedelta(minutes=minutes),
            ends_at=start + timedelta(minutes=minutes + 60),
            tutors=[tutor],
        )
    return open_round, ranking


def test_the_committee_home_compiles_only_what_is_not_prepared(client, orm_compiles, society):  # noqa: F811
    client.force_login(CommitteeFactory())
    client.get("/committee/")  # the first visit in this process compiles the prepared reads
    body, compiled = cold_compiled(client, "/committee/", orm_compiles)
    assert "applications you have not reviewed" in body
    assert "sessions clash with another" in body
    assert "tutors have not ranked their topics" in body
    # the member and their groups, the failed emails, the moves waiting (small groups), the
    # held mass emails (the view's own): every count of rounds, sessions, resources and
    # feedback is prepared
    assert len(compiled) <= 6, compiled


def test_a_round_page_compiles_only_what_is_not_prepared(client, orm_compiles, society):  # noqa: F811
    open_round, _ = society
    client.force_login(CommitteeFactory())
    url = f"/committee/rounds/{open_round.pk}/"
    client.get(url)
    body, compiled = cold_compiled(client, url, orm_compiles)
    assert "2 applications submitted" in body
    # the member and their groups, the round (the title, again inside the remembered body, and
    # with its counts), its unreleased decisions, questions and criteria (the view's own): the
    # timeline is prepared
    assert len(compiled) <= 8, compiled
