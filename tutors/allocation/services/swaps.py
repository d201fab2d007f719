"""Topic swaps after publication: tutors offer a topic, top trading cycles proposes swaps, the
committee approves them (through the "tutors.approve_swaps" mass action, see ../mailings.py).

A swap only ever moves a tutor to a topic they ranked strictly higher than the one they give
up, that they are eligible for and do not already teach; everyone else keeps their topic.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from meded.errors import DomainError
from meded.signals import allocation_changed
from tutors.allocation.engine.ttc import cycles_of, top_trading_cycles
from tutors.models import (
    AllocatedTopic,
    AllocationChange,
    AllocationRun,
    Offering,
    Ranking,
    RecruitmentRound,
    SwapOffer,
)


class SwapError(DomainError):
    pass


@dataclass(frozen=True)
class Move:
    """One tutor of a proposed swap: gives `offer`'s topic, receives `to`."""

    offer: SwapOffer
    to: Offering
    new_rank: int | None
    cycle: int

    @property
    def key(self) -> tuple[int, int]:
        return (self.offer.pair_id, self.to.pk)


def published_run(round: RecruitmentRound) -> AllocationRun | None:
    return AllocationRun.objects.filter(round=round, is_published=True).first()


def open_offers(round: RecruitmentRound):
    return (
        SwapOffer.objects.filter(
            status=SwapOffer.Status.OPEN, pair__run__round=round, pair__run__is_published=True
        )
        .select_related("pair__tutor", "pair__offering__topic", "pair__run")
        .order_by("id")
    )


def offer_swap(tutor, pair_id: int) -> SwapOffer:
    """Offer one of the tutor's topics of a published allocation (one open offer per round)."""
    pair = (
        AllocatedTopic.objects.filter(pk=pair_id, tutor=tutor, run__is_published=True)
        .select_related("run")
        .first()
    )
    if pair is None:
        raise SwapError("That is not one of your published topics.")
    if open_offers(pair.run.round).filter(pair__tutor=tutor).exists():
        raise SwapError("You already offer a topic for swap in this round; withdraw it first.")
    try:
        with transaction.atomic():
            return SwapOffer.objects.create(pair=pair)
    except IntegrityError:
        raise SwapError("This topic is already offered for swap.") from None


def withdraw_offer(tutor, offer_id: int) -> None:
    changed = SwapOffer.objects.filter(
        pk=offer_id, pair__tutor=tutor, status=SwapOffer.Status.OPEN
    ).update(status=SwapOffer.Status.WITHDRAWN, closed_at=timezone.now())
    if not changed:
        raise SwapError("That offer is no longer open.")


def _preferences(offers: list[SwapOffer]) -> dict[int, list[int]]:
    """offer id -> other offers' ids, best first, whose topic its tutor ranked strictly higher."""
    tutors = {o.pair.tutor_id for o in offers}
    round_id = offers[0].pair.run.round_id if offers else None
    ranks: dict[int, dict[int, int]] = {t: {} for t in tutors}
    for r in Ranking.objects.filter(round_id=round_id, tutor_id__in=tutors):
        ranks[r.tutor_id][r.offering_id] = r.rank
    held: dict[int, set[int]] = {t: set() for t in tutors}
    run_ids = {o.pair.run_id for o in offers}
    for tutor_id, offering_id in AllocatedTopic.objects.filter(
        run_id__in=run_ids, tutor_id__in=tutors
    ).values_list("tutor_id", "offering_id"):
        held[tutor_id].add(offering_id)
    prefs: dict[int, list[int]] = {}
    for o in offers:
        tutor, mine = o.pair.tutor, ranks[o.pair.tutor_id]
        own = mine.get(o.pair.offering_id)
        better = [
            q
            for q in offers
            if q.pair.offering_id not in held[tutor.pk]
            and q.pair.offering_id in mine
            and (own is None or mine[q.pair.offering_id] < own)
            and q.pair.offering.ineligible_reason(tutor) is None
        ]
        better.sort(key=lambda q: (mine[q.pair.offering_id], q.pk))
        prefs[o.pk] = [q.pk for q in better]
    return prefs


def proposed_swaps(round: RecruitmentRound, offers: list[SwapOffer] | None = None) -> list[Move]:
    """The swaps top trading cycles finds among the round's open offers, cycle by cycle."""
    offers = list(open_offers(round)) if offers is None else offers
    if not offers:
        return []
    by_id = {o.pk: o for o in offers}
    assignment = top_trading_cycles(_preferences(offers))
    rank_of = {
        (t, f): r
        for t, f, r in Ranking.objects.filter(
            round=round, tutor_id__in={o.pair.tutor_id for o in offers}
        ).values_list("tutor_id", "offering_id", "rank")
    }
    moves = []
    for n, cycle in enumerate(cycles_of(assignment), start=1):
        for offer_id in cycle:
            offer = by_id[offer_id]
            to = by_id[assignment[offer_id]].pair.offering
            moves.append(Move(offer, to, rank_of.get((offer.pair.tutor_id, to.pk)), n))
    return moves


def apply_swaps(actor, round: RecruitmentRound, expected: list[tuple[int, int]]) -> list[int]:
    """Make the proposed swaps the allocation; returns the audit rows' ids.

    `expected` is what the committee approved, as (pair id, new offering id): if the offers
    changed since (one withdrawn, a new one that changes the cycles), nothing happens.
    """
    now = timezone.now()
    with transaction.atomic():
        offers = list(open_offers(round).select_for_update(of=("self",)))
        moves = proposed_swaps(round, offers)
        if sorted(m.key for m in moves) != sorted(map(tuple, expected)) or not moves:
            raise SwapError(
                "The offers changed since you looked; check the new proposal and approve again."
            )
        pairs = {
            p.pk: p
            for p in AllocatedTopic.objects.select_for_update().filter(
                pk__in=[m.offer.pair_id for m in moves]
            )
        }
        change_ids, changes = [], []
        for m in moves:
            pair = pairs[m.offer.pair_id]
            old = pair.offering_id
            pair.offering_id, pair.rank = m.to.pk, m.new_rank
            pair.save(update_fields=["offering", "rank"])
            m.offer.status, m.offer.closed_at = SwapOffer.Status.SWAPPED, now
            m.offer.save(update_fields=["status", "closed_at"])
            row = AllocationChange.objects.create(
                run_id=pair.run_id,
                pair=pair,
                tutor_id=pair.tutor_id,
                from_offering_id=old,
                to_offering_id=m.to.pk,
                offer=m.offer,
                approved_by=actor,
                approved_at=now,
            )
            change_ids.append(row.pk)
            changes.append((pair.tutor_id, old, m.to.pk))
        allocation_changed.send(sender=AllocationChange, changes=changes)
        return change_ids


def undo_swaps(change_ids: list[int]) -> None:
    """Take approved swaps back (the undo window): topics, offers and sessions as before."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            AllocationChange.objects.select_for_update(of=("self",))
            .filter(pk__in=change_ids, undone_at__isnull=True)
            .select_related("pair", "offer")
        )
        changes = []
        for row in rows:
            rank = (
                Ranking.objects.filter(tutor_id=row.tutor_id, offering_id=row.from_offering_id)
                .values_list("rank", flat=True)
                .first()
            )
            AllocatedTopic.objects.filter(pk=row.pair_id).update(
                offering_id=row.from_offering_id, rank=rank
            )
            if row.offer:
                SwapOffer.objects.filter(pk=row.offer_id).update(
                    status=SwapOffer.Status.OPEN, closed_at=None
                )
            row.undone_at = now
            row.save(update_fields=["undone_at"])
            changes.append((row.tutor_id, row.to_offering_id, row.from_offering_id))
        allocation_changed.send(sender=AllocationChange, changes=changes)


def recent_changes(round: RecruitmentRound):
    return AllocationChange.objects.filter(run__round=round).select_related(
        "tutor", "from_offering__topic", "to_offering__topic", "approved_by"
    )
