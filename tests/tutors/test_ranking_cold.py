"""The tutor's ranking page when nothing is remembered: the saved ranking and every offering
shown, in a fixed number of statements whatever the number of offerings and choices, and the
round, the member's place in it and the filters' choices read by Prepared reads (compiled once
per process), not compiled on every visit."""

from __future__ import annotations

import pytest

from tests.factories.allocation import OfferingFactory, accepted_tutor, rank, ranking_round
from tests.support.remembering import cold_visit, orm_compiles  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
URL = "/tutors/rankings/"


def ranked(client, n: int):
    rnd = ranking_round(min_rank=1, max_rank=n)
    offerings = [OfferingFactory(round=rnd, topic__code=f"R{n}-{i}") for i in range(n + 2)]
    tutor = accepted_tutor(rnd)
    rank(rnd, tutor, offerings[:n])
    client.force_login(tutor)
    return offerings


def test_a_cold_visit_shows_the_saved_ranking_in_the_same_statements_for_1_and_8(client):
    offerings = ranked(client, 1)
    page, one = cold_visit(client, URL)
    assert all(o.topic.code in page for o in offerings)
    offerings = ranked(client, 8)
    page, eight = cold_visit(client, URL)
    assert all(o.topic.code in page for o in offerings)
    assert len(eight) == len(one)
    # the session, the member and their roles; the round, whether they are its tutor, their
    # ranking, the offerings (with their topics' years), the published topics and runs, the
    # filters' modules and years
    assert len(one) <= 12, "\n".join(one)


def test_a_cold_visit_compiles_only_the_offerings_and_published_topics(
    client,
    orm_compiles,  # noqa: F811 (the fixture)
):
    ranked(client, 3)
    cold_visit(client, URL)  # the first visit in this process compiles the Prepared reads
    orm_compiles.clear()
    cold_visit(client, URL)
    # the session, the member and their roles (Django's own); the offerings and their years,
    # the published runs and topics (filtered or joined several ways: the ORM's)
    assert len(orm_compiles) <= 7, "\n".join(orm_compiles)
