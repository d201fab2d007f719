"""The ranking page read cold (after a write to every table): the offerings and the published
topics come from prepared reads as plain rows holding what the model path holds, nothing of the
page's own is compiled, and its body, rendered once per process for what it shows, follows every
change of what it shows."""

from __future__ import annotations

import pytest

from tests.factories.allocation import (
    OfferingFactory,
    accepted_tutor,
    published_pairs,
    rank,
    ranking_round,
)
from tests.support.remembering import cold_compiled, orm_compiles  # noqa: F401 (a fixture)
from tutors.allocation import ranking_reads
from tutors.allocation.selectors import offerings_for, published_topics_for
from tutors.models import Offering, Ranking

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
URL = "/tutors/rankings/"


@pytest.fixture
def setup(client):
    rnd = ranking_round(min_rank=1, max_rank=3)
    offerings = [OfferingFactory(round=rnd, topic__code=f"M-{i}") for i in range(5)]
    offerings[4].min_tutor_year = 6
    offerings[4].save()
    tutor = accepted_tutor(rnd)
    rank(rnd, tutor, offerings[:2])
    client.force_login(tutor)
    return rnd, offerings, tutor


def _plain(o) -> tuple:
    t = o.topic
    return (
        o.pk,
        o.round_id,
        t.pk,
        t.code,
        t.title,
        t.module.pk,
        t.module.name,
        t.module.slug,
        o.capacity,
        o.format,
        o.get_format_display(),
        o.min_tutor_year,
    )


def test_the_plain_rows_hold_what_the_models_hold_in_the_same_order(setup):
    rnd, _, tutor = setup
    rows = ranking_reads.round_offerings(rnd.pk)
    models = list(offerings_for(rnd))
    assert [_plain(r) for r in rows] == [_plain(o) for o in models]
    assert [r.ineligible_reason(tutor) for r in rows] == [
        o.ineligible_reason(tutor) for o in models
    ]
    assert any(r.ineligible_reason(tutor) for r in rows)


def test_the_published_pairs_hold_what_the_models_hold(setup):
    rnd, offerings, tutor = setup
    published_pairs(rnd, [(tutor, offerings[0]), (tutor, offerings[3])])
    pairs = [p for run in ranking_reads.published_pairs(tutor.pk).values() for p in run]
    models = published_topics_for(tutor)
    assert [(p.pk, p.run_id, p.rank, p.locked, _plain(p.offering)) for p in pairs] == [
        (m.pk, m.run_id, m.rank, m.locked, _plain(m.offering)) for m in models
    ]


def test_a_cold_visit_compiles_none_of_the_pages_reads(client, setup, orm_compiles):  # noqa: F811
    cold_compiled(client, URL, orm_compiles)  # the process's first visit compiles its reads
    page, compiled = cold_compiled(client, URL, orm_compiles)
    assert len(compiled) <= 2, "\n".join(compiled)  # the member and their roles (Django's own)
    assert all(f"M-{i}" in page for i in range(5))


def test_a_cold_visit_shows_what_changed_since_the_body_was_memoised(client, setup, orm_compiles):  # noqa: F811
    rnd, offerings, tutor = setup
    before, _ = cold_compiled(client, URL, orm_compiles)
    Offering.objects.filter(pk=offerings[3].pk).update(capacity=7)
    offerings[2].topic.title = "Renamed topic"
    offerings[2].topic.save()
    Ranking.objects.create(round=rnd, tutor=tutor, offering=offerings[4], rank=3)
    after, _ = cold_compiled(client, URL, orm_compiles)
    assert "<td>7</td>" in after and "<td>7</td>" not in before
    assert "Renamed topic" in after and "Renamed topic" not in before
    assert "Ranked 3" in after and "Ranked 3" not in before
