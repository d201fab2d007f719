"""The tutor's swap page read cold (after a write to every table): the published topics with
their open offers and the approved swaps come from reads compiled once per process, and the
page shows what the querysets they replace showed."""

from __future__ import annotations

import pytest

from tests.factories.core import CommitteeFactory
from tests.support.mailings import confirm_and_release
from tests.support.remembering import cold_compiled, orm_compiles  # noqa: F401 (a fixture)
from tests.tutors.test_topic_swaps import APPROVE, market  # noqa: F401 (a fixture)
from tutors.allocation import swap_reads
from tutors.models import AllocatedTopic, AllocationChange, SwapOffer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
URL = "/tutors/swaps/"


def test_the_rows_hold_what_the_joined_querysets_hold(market):  # noqa: F811
    round, _, (ann, _bob, cat), _ = market
    confirm_and_release(CommitteeFactory(), APPROVE, round.pk)
    for tutor in (ann, cat):
        found = swap_reads.swaps_for_tutor(tutor)
        pairs = AllocatedTopic.objects.filter(tutor=tutor, run__is_published=True).order_by(
            "-run__published_at", "offering__topic__code"
        )
        open_ = {
            o.pair_id: o.pk for o in SwapOffer.objects.filter(pair__tutor=tutor, status="open")
        }
        assert [
            (
                r["pair"].pk,
                r["pair"].rank,
                r["pair"].offering.topic.code,
                r["pair"].run.round.name,
                r["offer"] and r["offer"].pk,
            )
            for r in found["rows"]
        ] == [
            (p.pk, p.rank, p.offering.topic.code, p.run.round.name, open_.get(p.pk)) for p in pairs
        ]
        history = AllocationChange.objects.filter(tutor=tutor)
        assert [
            (c.approved_at, c.undone_at, c.from_offering.topic.code, c.to_offering.topic.title)
            for c in found["history"]
        ] == [
            (c.approved_at, c.undone_at, c.from_offering.topic.code, c.to_offering.topic.title)
            for c in history
        ]
    assert (
        swap_reads.swaps_for_tutor(ann)["history"]
        and swap_reads.swaps_for_tutor(cat)["rows"][0]["offer"]
    )


def test_a_cold_visit_compiles_only_the_members_own_reads(client, market, orm_compiles):  # noqa: F811
    round, (x, y, _z), (ann, _bob, _cat), _ = market
    confirm_and_release(CommitteeFactory(), APPROVE, round.pk)
    client.force_login(ann)
    cold_compiled(client, URL, orm_compiles)  # the process's first visit compiles its reads
    page, compiled = cold_compiled(client, URL, orm_compiles)
    assert len(compiled) <= 2, "\n".join(compiled)  # the member and their roles
    assert f"{x.topic.code} → {y.topic.code} {y.topic.title}" in page
    assert f"<strong>{y.topic.code}</strong> {y.topic.title}" in page
