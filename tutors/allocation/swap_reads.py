"""The tutor's swap page reads, compiled once per process (meded/prepared.py), into plain rows.

The page is computed again after any write to the tables it read (a swap anywhere, a published
run), and its three joined querysets compiled on every such visit cost more than they took to
run. These read the columns the page prints, joined in one statement each, into rows with the
same attribute paths as the models (`row.pair.offering.topic.code`)."""

from __future__ import annotations

from types import SimpleNamespace

from meded.prepared import Prepared
from tutors.models import AllocatedTopic, AllocationChange, SwapOffer


def swaps_for_tutor(tutor) -> dict:
    """The tutor's published topics, each with its open swap offer, and their approved swaps."""
    open_by_pair = {pair_id: SimpleNamespace(pk=pk) for pk, pair_id in _OPEN.rows(tutor.pk)}
    rows = [
        {
            "pair": SimpleNamespace(
                pk=pk,
                rank=rank,
                offering=SimpleNamespace(topic=SimpleNamespace(code=code, title=title)),
                run=SimpleNamespace(round=SimpleNamespace(name=round_name)),
            ),
            "offer": open_by_pair.get(pk),
        }
        for pk, rank, code, title, round_name in _PAIRS.rows(tutor.pk)
    ]
    history = [
        SimpleNamespace(
            approved_at=approved_at,
            undone_at=undone_at,
            from_offering=SimpleNamespace(topic=SimpleNamespace(code=from_code)),
            to_offering=SimpleNamespace(topic=SimpleNamespace(code=to_code, title=to_title)),
        )
        for approved_at, undone_at, from_code, to_code, to_title in _HISTORY.converted_rows(
            tutor.pk
        )
    ]
    return {"rows": rows, "history": history}


_PAIRS = Prepared(
    lambda tutor_pk: (
        AllocatedTopic.objects.filter(tutor=tutor_pk, run__is_published=True)
        .order_by("-run__published_at", "offering__topic__code")
        .values_list(
            "id", "rank", "offering__topic__code", "offering__topic__title", "run__round__name"
        )
    ),
    1,
)
_OPEN = Prepared(
    lambda tutor_pk: SwapOffer.objects.filter(
        pair__tutor=tutor_pk, status=SwapOffer.Status.OPEN
    ).values_list("id", "pair_id"),
    1,
)
_HISTORY = Prepared(
    lambda tutor_pk: AllocationChange.objects.filter(tutor=tutor_pk).values_list(
        "approved_at",
        "undone_at",
        "from_offering__topic__code",
        "to_offering__topic__code",
        "to_offering__topic__title",
    ),
    1,
)
