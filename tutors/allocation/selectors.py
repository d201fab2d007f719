"""Read queries for offerings, rankings and allocations, each with the joins its page needs."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from meded.models import Module, Year
from meded.parsing import parse_int
from meded.prepared import Prepared
from tutors.allocation import engine
from tutors.allocation.ranking_reads import published_pairs, published_runs, round_offerings
from tutors.models import (
    AllocatedTopic,
    AllocationOverride,
    AllocationRun,
    Offering,
    Ranking,
    RecruitmentRound,
    RoundState,
)
from tutors.recruitment.selectors import accepted_tutors

RANKING_VISIBLE_STATES = (RoundState.RANKING, RoundState.ALLOCATION, RoundState.PUBLISHED)


def offerings_for(round: RecruitmentRound, *, q: str = "", module: str = "", year: str = ""):
    """The round's offerings, filtered by text (code/title), module slug and year."""
    qs = (
        Offering.objects.filter(round=round)
        .select_related("topic__module")
        .prefetch_related("topic__years")
    )
    if q:
        qs = qs.filter(Q(topic__code__icontains=q) | Q(topic__title__icontains=q))
    if module:
        qs = qs.filter(topic__module__slug=module)
    if parse_int(year, high=99) is not None:
        qs = qs.filter(topic__years__number=parse_int(year)).distinct()
    return qs


def ranking_round_for(user) -> RecruitmentRound | None:
    """The latest round in which this member is an accepted tutor and rankings are visible (every
    cold visit of the ranking page asks: compiled once per process)."""
    found = _RANKING_ROUND.instances(user.pk)
    return found[0] if found else None


_RANKING_ROUND = Prepared(
    lambda user_pk: RecruitmentRound.objects.filter(
        applications__applicant_id=user_pk,
        applications__status="accepted",
        state__in=RANKING_VISIBLE_STATES,
    ).order_by("-ranking_opens")[:1],
    1,
)


def ranked_ids(round: RecruitmentRound, tutor) -> list[int]:
    """The offerings of the tutor's saved ranking, first choice first (`tutor_ranking`'s ids)."""
    return [pk for (pk,) in _RANKED_IDS.rows(round.pk, tutor.pk)]


_RANKED_IDS = Prepared(
    lambda round_pk, tutor_pk: (
        Ranking.objects.filter(round_id=round_pk, tutor_id=tutor_pk)
        .order_by("rank")
        .values_list("offering_id")
    ),
    2,
)


def tutor_ranking(round: RecruitmentRound, tutor) -> list[Ranking]:
    return list(
        Ranking.objects.filter(round=round, tutor=tutor)
        .select_related("offering__topic__module")
        .order_by("rank")
    )


@dataclass
class SubmissionRow:
    tutor: object
    ranked: int
    last_saved: object


def submissions(round: RecruitmentRound) -> list[SubmissionRow]:
    """Every accepted tutor with how many topics they ranked (0: not submitted)."""
    tutors = accepted_tutors(round).annotate(
        ranked=Count("topic_rankings", filter=Q(topic_rankings__round=round)),
        last_saved=Max("topic_rankings__saved_at", filter=Q(topic_rankings__round=round)),
    )
    return [SubmissionRow(t, t.ranked, t.last_saved) for t in tutors]


@dataclass
class DemandRow:
    offering: Offering
    total: int
    by_rank: list[int]  # count at rank 1..N (last bucket: N and worse)
    first_choices: int

    @property
    def ratio(self) -> float:
        return self.total / self.offering.capacity

    @property
    def status(self) -> str:
        if self.total == 0:
            return "Nobody ranked it"
        if self.first_choices > self.offering.capacity:
            return "Over-subscribed"
        if self.total < self.offering.capacity:
            return "Under-subscribed"
        return "Balanced"


def demand(round: RecruitmentRound, buckets: int = 5) -> list[DemandRow]:
    """How many tutors ranked each offering, and at which ranks (rank >= buckets pooled)."""
    counts: dict[int, Counter] = defaultdict(Counter)
    for offering_id, rank, n in (
        Ranking.objects.filter(round=round)
        .values_list("offering_id", "rank")
        .annotate(n=Count("id"))
        .values_list("offering_id", "rank", "n")
    ):
        counts[offering_id][min(rank, buckets)] += n
    rows = []
    for o in Offering.objects.filter(round=round).select_related("topic"):
        c = counts.get(o.pk, Counter())
        by_rank = [c.get(i, 0) for i in range(1, buckets + 1)]
        rows.append(DemandRow(o, sum(by_rank), by_rank, c.get(1, 0)))
    rows.sort(key=lambda r: (-r.ratio, r.offering.topic.code))
    return rows


def runs_for(round: RecruitmentRound) -> QuerySet:
    return AllocationRun.objects.filter(round=round).select_related("created_by", "published_by")


def overrides_for(round: RecruitmentRound) -> QuerySet:
    return AllocationOverride.objects.filter(round=round).select_related("tutor", "offering__topic")


def published_run(round: RecruitmentRound) -> AllocationRun | None:
    return AllocationRun.objects.filter(round=round, is_published=True).first()


def published_allocation(round: RecruitmentRound) -> list[tuple]:
    """(tutor user, topic, offering, rank) for every pair of the round's published run.

    For the sessions app, which creates one draft session per allocated topic. Empty until
    an allocation is published. ``rank`` is None for an unranked fill or locked pair.
    """
    pairs = (
        AllocatedTopic.objects.filter(run__round=round, run__is_published=True)
        .select_related("tutor", "offering__topic__module")
        .order_by("offering__topic__code", "tutor__email")
    )
    return [(p.tutor, p.offering.topic, p.offering, p.rank) for p in pairs]


def run_pairs(run: AllocationRun) -> list[AllocatedTopic]:
    return list(
        run.pairs.select_related("tutor", "offering__topic").order_by(
            "tutor__full_name", "tutor__email", "rank"
        )
    )


def published_topics_for(tutor) -> list[AllocatedTopic]:
    """The tutor's topics in every published allocation, newest round first."""
    return list(
        AllocatedTopic.objects.filter(tutor=tutor, run__is_published=True)
        .select_related("offering__topic__module", "run__round")
        .order_by("-run__published_at", "rank")
    )


def _inputs_and_result(run: AllocationRun):
    cache = getattr(run, "_engine_cache", None)
    if cache is None:
        cache = (
            engine.AllocationInputs.from_dict(run.inputs),
            engine.AllocationResult.from_dict(run.result),
        )
        run._engine_cache = cache
    return cache


@dataclass
class ExplanationRow:
    offering: Offering | None
    code: str
    rank: int
    reason: str
    message: str
    committee_message: str


def tutor_explanations(run: AllocationRun, tutor) -> list[ExplanationRow]:
    """Why the tutor did not get the ranked topics they would have preferred (see explain)."""
    inputs, result = _inputs_and_result(run)
    if not any(t.id == tutor.email for t in inputs.tutors):
        return []
    found = result.explain(inputs, tutor.email)
    offerings = {
        o.topic.code: o
        for o in Offering.objects.filter(
            round_id=run.round_id, topic__code__in=[e.offering for e in found]
        ).select_related("topic")
    }
    return [
        ExplanationRow(
            offerings.get(e.offering), e.offering, e.rank, e.reason, e.message, e.committee_message
        )
        for e in found
    ]


@dataclass
class RunView:
    """A stored run prepared for the committee page: per tutor, per offering, comparison."""

    run: AllocationRun
    stats: engine.Statistics
    baseline: engine.Statistics | None
    comparison: engine.Comparison | None
    per_tutor: list[dict] = field(default_factory=list)
    per_offering: list[dict] = field(default_factory=list)
    histogram: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def run_view(run: AllocationRun) -> RunView:
    """Everything the allocation page shows for one run, in a fixed number of queries."""
    inputs, result = _inputs_and_result(run)
    baseline = engine.AllocationResult.from_dict(run.baseline) if run.baseline else None
    tutors = {u.email: u for u in accepted_tutors(run.round)}
    offerings = {
        o.topic.code: o
        for o in Offering.objects.filter(round_id=run.round_id).select_related("topic")
    }
    by_tutor = defaultdict(list)
    by_offering = defaultdict(list)
    for p in result.pairs:
        by_tutor[p.tutor].append(p)
        by_offering[p.offering].append(p)
    per_tutor = []
    why = engine.explain_all(inputs, result)
    for t in sorted(inputs.tutors, key=lambda t: t.id):
        explanations = why[t.id]
        per_tutor.append(
            {
                "id": t.id,
                "user": tutors.get(t.id),
                "ranked": len(t.ranking),
                "pairs": [(p, offerings.get(p.offering)) for p in by_tutor[t.id]],
                "choices": [
                    (i + 1, offerings[code])
                    for i, code in enumerate(t.ranking)
                    if code in offerings
                ],
                "explanations": explanations,
            }
        )
    per_offering = [
        {
            "code": o.id,
            "offering": offerings.get(o.id),
            "capacity": o.capacity,
            "pairs": [(p, tutors.get(p.tutor)) for p in by_offering[o.id]],
        }
        for o in sorted(inputs.offerings, key=lambda o: o.id)
    ]
    stats = result.statistics
    peak = max(stats.rank_histogram.values(), default=0)
    histogram = [
        {"rank": r, "count": n, "pct": round(100 * n / peak) if peak else 0}
        for r, n in sorted(stats.rank_histogram.items())
    ]
    if stats.unranked_fills:
        histogram.append(
            {
                "rank": "unranked",
                "count": stats.unranked_fills,
                "pct": round(100 * stats.unranked_fills / max(peak, stats.unranked_fills)),
            }
        )
    return RunView(
        run=run,
        stats=stats,
        baseline=baseline.statistics if baseline else None,
        comparison=engine.compare(result, baseline) if baseline else None,
        per_tutor=per_tutor,
        per_offering=per_offering,
        histogram=histogram,
        warnings=list(result.warnings),
    )


@dataclass
class RunComparison:
    """Two stored runs of one round side by side: headline figures and who moved."""

    run: AllocationRun
    other: AllocationRun
    comparison: engine.Comparison
    changed: list[dict]  # {"tutor": id, "here": [Pair], "there": [Pair]} per tutor that differs


def compare_runs(run: AllocationRun, other: AllocationRun) -> RunComparison:
    """Compare two runs from their stored results (no query beyond the two runs)."""
    _, a = _inputs_and_result(run)
    _, b = _inputs_and_result(other)
    cmp = engine.compare(a, b)
    moved = sorted({t for t, _ in cmp.only_in_a} | {t for t, _ in cmp.only_in_b})
    changed = [
        {"tutor": t, "here": a.pairs_for_tutor(t), "there": b.pairs_for_tutor(t)} for t in moved
    ]
    return RunComparison(run, other, cmp, changed)


def ranking_reminder_due(now=None) -> QuerySet:
    """Rounds whose ranking window closes within 48 hours (and has not closed)."""
    now = now or timezone.now()
    return RecruitmentRound.objects.filter(
        state=RoundState.RANKING,
        ranking_opens__lte=now,
        ranking_closes__gt=now,
        ranking_closes__lte=now + timedelta(hours=48),
    )


def ranking_page_context(
    round: RecruitmentRound,
    tutor,
    items: list[int],
    filters: dict,
    editable: bool,
    *,
    plain: bool = False,
) -> dict:
    """The tutor's draft list, the filtered offerings to add from, and any published topics.
    `plain`: unfiltered offerings as plain rows read by a prepared statement, for a visit that
    only renders them (ranking_reads.py)."""
    if plain and not any(filters.values()):  # a plain visit, unfiltered: the usual one
        shown = round_offerings(round.pk)  # type: ignore[assignment]
        every = {o.pk: o for o in shown}
    elif any(filters.values()):
        shown = list(offerings_for(round, **filters))
        every = {o.pk: o for o in Offering.objects.filter(round=round).select_related("topic")}
    else:  # unfiltered: the offerings shown are every offering of the round
        shown = list(offerings_for(round))
        every = {o.pk: o for o in shown}
    draft = [every[i] for i in items if i in every]
    position = {o.pk: i + 1 for i, o in enumerate(draft)}
    available = [
        {"offering": o, "rank": position.get(o.pk), "reason": o.ineligible_reason(tutor)}
        for o in shown
    ]
    return {
        "editable": editable,
        "opens_later": round.state == RoundState.RANKING and timezone.now() < round.ranking_opens,
        "draft": draft,
        "available": available,
        "modules": _ROUND_MODULES.instances(round.pk),
        "years": _YEARS.instances(),
        "published": published_for_tutor(tutor),
    }


# The filters' choices, on every cold visit of the ranking page: compiled once per process.
_ROUND_MODULES = Prepared(
    lambda round_pk: Module.objects.filter(topics__offerings__round_id=round_pk).distinct(), 1
)
_YEARS = Prepared(lambda: Year.objects.all(), 0)


def published_for_tutor(tutor) -> list[dict]:
    """Each published allocation of a round the tutor was accepted in: topics and why."""
    runs = published_runs(tutor.pk)  # compiled once per process, as the pairs
    mine = published_pairs(tutor.pk)
    return [
        {
            "run": run,
            "round": run.round,
            "pairs": mine[run.pk],
            "explanations": tutor_explanations(run, tutor),
        }
        for run in runs
    ]


def rankings_rows(round: RecruitmentRound) -> QuerySet:
    """Every ranking of the round as ``tutor_email,rank,topic_code`` rows (the import format)."""
    return (
        Ranking.objects.filter(round=round)
        .order_by("tutor__email", "rank")
        .values_list("tutor__email", "rank", "offering__topic__code")
    )
