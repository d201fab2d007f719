"""Demo offerings, rankings and allocations (seeded by tutors/demo.py after recruitment).

The ranking round gets offerings and most tutors' rankings (incl. tutor@demo.meded.test,
who can still change theirs); the past round gets offerings, rankings, a stored run and a
published allocation that gives tutor@demo.meded.test a topic. Idempotent: a round that
already has offerings is left alone.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from meded.models import Topic
from tutors.allocation.services.runs import build_inputs, compute_and_store
from tutors.models import (
    AllocatedTopic,
    AllocationOverride,
    Application,
    ApplicationStatus,
    Offering,
    Ranking,
    RecruitmentRound,
)
from tutors.recruitment.selectors import accepted_tutors

CURRENT = "2026/27 Term 1"
PAST = "2025/26 Term 2"
SEED = 20261


def seed_allocation(demo) -> None:
    current = RecruitmentRound.objects.filter(name=CURRENT).first()
    past = RecruitmentRound.objects.filter(name=PAST).first()
    with transaction.atomic():
        if current and not current.offerings.exists():
            _offerings(demo, current, count=60)
            _rankings(demo, current, skip_every=7)
        if past and not past.offerings.exists():
            _accept(past, demo.tutor)
            _offerings(demo, past, count=36)
            _rankings(demo, past, skip_every=0)
            _publish(demo, past)
    if past:
        _offer_swap(demo, past)
    if current:
        _schedule_reminder(demo, current)


def _offer_swap(demo, round) -> None:
    """The demo tutor offers their topic of the published round for swap (once)."""
    from tutors.allocation.services.swaps import offer_swap
    from tutors.models import SwapOffer

    pair = AllocatedTopic.objects.filter(
        run__round=round, run__is_published=True, tutor=demo.tutor
    ).first()
    if pair and not SwapOffer.objects.filter(pair__run__round=round).exists():
        offer_swap(demo.tutor, pair.pk)


def _schedule_reminder(demo, round) -> None:
    """A ranking reminder the chair scheduled for tomorrow evening: the outbox shows it waiting,
    with its undo button (through the same preview and confirm as the page)."""
    from meded.errors import DomainError
    from meded.notifications import mailings
    from meded.notifications.models import Mailing

    name = "tutors.ranking_reminder"
    if Mailing.objects.filter(action=name, target_key=f"tutors.recruitmentround:{round.pk}"):
        return
    evening = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0)
    try:
        shown = mailings.preview(name, round.pk)
        mailings.confirm(
            demo.chair,
            name,
            round.pk,
            expected=shown.fingerprint,
            send_at=evening + timedelta(days=1),
        )
    except DomainError:  # the round is not ranking, or everyone has ranked: nothing to show
        return


def _offerings(demo, round, count: int) -> list[Offering]:
    """Topics across the curriculum; most need 1 tutor, some 2-3; year 4+ content needs 5+."""
    rng = demo.rng
    topics = list(Topic.objects.prefetch_related("years").order_by("code"))
    chosen = sorted(rng.sample(topics, min(count, len(topics))), key=lambda t: t.code)
    formats = [f for f, _ in Offering.Format.choices]
    rows = []
    for t in chosen:
        years = [y.number for y in t.years.all()]
        rows.append(
            Offering(
                round=round,
                topic=t,
                capacity=rng.choices([1, 2, 3], weights=[6, 3, 1])[0],
                format=rng.choices(formats, weights=[5, 3, 1, 1])[0],
                min_tutor_year=5 if years and max(years) >= 4 else None,
            )
        )
    Offering.objects.bulk_create(rows)
    return list(round.offerings.select_related("topic"))


def _rankings(demo, round, skip_every: int) -> None:
    """Each tutor ranks 3-8 eligible topics, popular ones more often (Zipf-like)."""
    rng = demo.rng
    offerings = list(round.offerings.order_by("topic__code"))
    weights = [1 / (i + 1) for i in range(len(offerings))]
    rng.shuffle(weights)
    tutors = list(accepted_tutors(round).order_by("email"))
    rows = []
    for i, tutor in enumerate(tutors):
        if skip_every and i % skip_every == 3 and tutor != demo.tutor:
            continue  # some tutors have not ranked yet
        eligible = [
            (o, w)
            for o, w in zip(offerings, weights, strict=True)
            if not o.ineligible_reason(tutor)
        ]
        keyed = sorted(
            eligible, key=lambda ow: -(math.log(ow[1]) - math.log(-math.log(rng.random())))
        )
        n = min(len(keyed), rng.randint(round.min_rank, min(round.max_rank, 8)))
        rows += [
            Ranking(round=round, tutor=tutor, offering=o, rank=r + 1)
            for r, (o, _) in enumerate(keyed[:n])
        ]
    Ranking.objects.bulk_create(rows)


def _accept(round, user) -> None:
    """The demo tutor also taught in the past round, so they have a published topic."""
    Application.objects.get_or_create(
        round=round,
        applicant=user,
        defaults={
            "status": ApplicationStatus.ACCEPTED,
            "year_of_study": user.year_of_study,
            "motivation": "I enjoy explaining things.",
            "submitted_at": round.applications_close - timedelta(days=2),
            "decision": "accept",
            "decision_released_at": round.interviews_close,
        },
    )


def _publish(demo, round) -> None:
    """A greedy run, published; the demo tutor's 1st choice is locked if the run missed it."""
    chair = demo.chair
    snap = build_inputs(round, seed=SEED)
    run = compute_and_store(round, snap, chair)
    if not run.pairs.filter(tutor=demo.tutor).exists():
        first = Ranking.objects.filter(round=round, tutor=demo.tutor, rank=1).first()
        if first:
            AllocationOverride.objects.create(
                round=round,
                tutor=demo.tutor,
                offering=first.offering,
                kind="lock",
                created_by=chair,
            )
            run = compute_and_store(round, build_inputs(round, seed=SEED), chair)
    run.is_published = True
    run.published_at = round.ranking_closes + timedelta(days=2)
    run.published_by = chair
    run.save(update_fields=["is_published", "published_at", "published_by"])
