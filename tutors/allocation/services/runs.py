"""The committee's allocation workflow: run the engine, override pairs, publish, export."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from meded.errors import DomainError
from meded.exports import csv_text
from tutors.allocation import engine
from tutors.allocation.csv import RESULT_HEADER, allocation_rows
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

RUNNABLE_STATES = {RoundState.RANKING, RoundState.ALLOCATION}


class AllocationWorkflowError(DomainError):
    """The committee's request broke a rule; the message is shown as is."""


@dataclass
class Snapshot:
    """Engine inputs plus the objects behind each engine id (email, topic code)."""

    inputs: engine.AllocationInputs
    tutors: dict  # email -> User
    offerings: dict  # topic code -> Offering


def build_inputs(
    round: RecruitmentRound,
    *,
    objective: str = engine.GREEDY,
    spread: bool = False,
    fill_unranked: bool = False,
    seed: int = 0,
) -> Snapshot:
    """Read offerings, accepted tutors, rankings, eligibility and overrides into plain data."""
    offerings = {o.topic.code: o for o in round.offerings.select_related("topic")}
    by_pk = {o.pk: code for code, o in offerings.items()}
    tutors = {u.email: u for u in accepted_tutors(round)}
    ranked: dict[int, list[str]] = {u.pk: [] for u in tutors.values()}
    for r in Ranking.objects.filter(round=round).order_by("tutor_id", "rank"):
        if r.tutor_id in ranked:
            ranked[r.tutor_id].append(by_pk[r.offering_id])
    ineligible = {
        (email, code)
        for email, u in tutors.items()
        for code, o in offerings.items()
        if (fill_unranked or code in ranked[u.pk]) and o.ineligible_reason(u)
    }
    locked, forbidden = set(), set()
    for ov in AllocationOverride.objects.filter(round=round).select_related("tutor"):
        if ov.tutor.email in tutors and ov.offering_id in by_pk:
            pair = (ov.tutor.email, by_pk[ov.offering_id])
            (locked if ov.kind == AllocationOverride.Kind.LOCK else forbidden).add(pair)
    inputs = engine.AllocationInputs(
        offerings=[engine.Offering(code, o.capacity) for code, o in offerings.items()],
        tutors=[
            engine.Tutor(email, tuple(ranked[u.pk]), round.max_topics_per_tutor)
            for email, u in tutors.items()
        ],
        ineligible=ineligible,
        locked=locked,
        forbidden=forbidden,
        objective=objective,
        spread=spread,
        fill_unranked=fill_unranked,
        seed=seed,
    )
    return Snapshot(inputs, tutors, offerings)


def _check_open(round: RecruitmentRound, what: str) -> None:
    if AllocationRun.objects.filter(round=round, is_published=True).exists():
        raise AllocationWorkflowError(f"{what} the allocation is published.")


def run_allocation(
    round: RecruitmentRound,
    actor,
    *,
    objective: str = engine.GREEDY,
    spread: bool = False,
    fill_unranked: bool = False,
    seed: int | None = None,
) -> AllocationRun:
    """Run the engine on the round's current data and store the run with the round's seed.

    The tie-break seed is drawn at random once, at the round's first run, and every later
    run reuses it (see :func:`round_seed`): the same data always gives the same
    allocation, so re-running cannot be used to fish for a different tie-break.
    ``seed`` is for tests and audits only; the committee's form has no seed field.
    """
    if round.state not in RUNNABLE_STATES:
        raise AllocationWorkflowError(
            "Allocation runs are possible while the round is ranking or allocating "
            f"(this round is {round.get_state_display().lower()})."
        )
    if objective not in engine.OBJECTIVES:
        raise AllocationWorkflowError(f"Unknown objective {objective!r}.")
    with transaction.atomic():
        # Lock the round (as publishing does): two first runs at once cannot draw two
        # different seeds, and no run can land after a publication.
        RecruitmentRound.objects.select_for_update().filter(pk=round.pk).first()
        _check_open(round, "No more runs once")
        snap = build_inputs(
            round,
            objective=objective,
            spread=spread,
            fill_unranked=fill_unranked,
            seed=round_seed(round) if seed is None else seed,
        )
        if not snap.inputs.offerings:
            raise AllocationWorkflowError("Add topic offerings before running the allocation.")
        run = compute_and_store(round, snap, actor)
        if round.state == RoundState.RANKING and timezone.now() >= round.ranking_closes:
            round.state = RoundState.ALLOCATION
            round.save(update_fields=["state"])
    return run


def round_seed(round: RecruitmentRound) -> int:
    """The round's tie-break seed: the first run's (drawn at random then), reused ever after."""
    first = (
        AllocationRun.objects.filter(round=round)
        .order_by("created_at", "id")
        .values_list("seed", flat=True)
        .first()
    )
    return secrets.randbelow(2**31) if first is None else int(first)


def compute_and_store(round: RecruitmentRound, snap: Snapshot, actor) -> AllocationRun:
    """Allocate ``snap`` (and the serial-dictatorship baseline) and store run + pair rows."""
    inputs = snap.inputs
    started = time.perf_counter()
    try:
        result = engine.allocate(inputs)
    except engine.AllocationError as exc:
        raise AllocationWorkflowError(f"The data cannot be allocated: {exc}") from exc
    elapsed = time.perf_counter() - started
    baseline = engine.serial_dictatorship(inputs, inputs.seed)
    run = AllocationRun.objects.create(
        round=round,
        objective=inputs.objective,
        spread=inputs.spread,
        fill_unranked=inputs.fill_unranked,
        seed=inputs.seed,
        inputs=inputs.to_dict(),
        result=result.to_dict(),
        statistics=result.statistics.to_dict(),
        baseline=baseline.to_dict(),
        duration_ms=round_ms(elapsed),
        created_by=actor,
    )
    AllocatedTopic.objects.bulk_create(
        AllocatedTopic(
            run=run,
            tutor=snap.tutors[p.tutor],
            offering=snap.offerings[p.offering],
            rank=p.rank,
            locked=p.locked,
            unranked_fill=p.unranked_fill,
        )
        for p in result.pairs
    )
    return run


def round_ms(seconds: float) -> int:
    return max(0, int(seconds * 1000 + 0.5))


def set_override(round: RecruitmentRound, actor, tutor, offering: Offering, kind: str | None):
    """Lock or forbid a pair for later runs (``kind=None`` clears it)."""
    if round.state not in RUNNABLE_STATES:
        raise AllocationWorkflowError(
            "Overrides can change only before the allocation is published."
        )
    _check_open(round, "Overrides cannot change once")
    if offering.round_id != round.pk or not accepted_tutors(round).filter(pk=tutor.pk).exists():
        raise AllocationWorkflowError("That tutor and topic are not both in this round.")
    with transaction.atomic():
        AllocationOverride.objects.filter(round=round, tutor=tutor, offering=offering).delete()
        if kind is None:
            return None
        if kind not in AllocationOverride.Kind.values:
            raise AllocationWorkflowError(f"Unknown override {kind!r}.")
        return AllocationOverride.objects.create(
            round=round, tutor=tutor, offering=offering, kind=kind, created_by=actor
        )


def run_is_current(run: AllocationRun) -> bool:
    """Whether the run was made from the round's offerings, tutors, rankings and overrides as
    they are now (same options and seed): only such a run may be published."""
    now = build_inputs(
        run.round,
        objective=run.objective,
        spread=run.spread,
        fill_unranked=run.fill_unranked,
        seed=run.seed,
    )
    return now.inputs.to_dict() == run.inputs


def close_ranking_now(round: RecruitmentRound) -> RecruitmentRound:
    """The committee closes the ranking window now, explicitly, so the round can be published."""
    with transaction.atomic():
        round = RecruitmentRound.objects.select_for_update().get(pk=round.pk)
        _close_ranking(round, close_ranking=True)
    return round


def check_publishable(run: AllocationRun, round: RecruitmentRound) -> None:
    """The state rules of publishing, checked by the preview and again when it is confirmed."""
    if (
        run.round_id != round.pk
        or AllocationRun.objects.filter(round=round, is_published=True).exists()
    ):
        raise AllocationWorkflowError("This round already has a published allocation.")
    if round.state not in RUNNABLE_STATES:
        raise AllocationWorkflowError("This round is not allocating topics.")
    if timezone.now() < round.ranking_closes:
        _close_ranking(round, close_ranking=False)  # raises: ranking still open
    if not run_is_current(run):
        raise AllocationWorkflowError(
            f"Offerings, rankings or overrides changed since run {run.pk}: run the "
            "allocation again and publish the new run."
        )


def _close_ranking(round: RecruitmentRound, close_ranking: bool) -> None:
    """Publishing needs the ranking window closed: tutors must not re-rank under a final
    allocation. The committee may close it now, explicitly."""
    now = timezone.now()
    if now >= round.ranking_closes:
        return
    if not close_ranking:
        closes = timezone.localtime(round.ranking_closes)
        raise AllocationWorkflowError(
            f"Ranking is open until {closes:%a %-d %b %H:%M}: close ranking now to publish, "
            "or wait until it closes.",
            field="close_ranking",
        )
    if now <= round.ranking_opens:
        raise AllocationWorkflowError("Ranking has not opened yet; there is nothing to publish.")
    round.ranking_closes = now
    round.save(update_fields=["ranking_closes"])


def publish_run(run: AllocationRun, actor, *, close_ranking: bool = False) -> AllocationRun:
    """Publish one run: the round's allocation becomes final.

    It writes no email: the committee publishes through the "tutors.publish_allocation" mass
    action (tutors/allocation/mailings.py), which previews every tutor's email, calls this
    inside its confirming transaction and holds the emails for the undo window.

    Refused while ranking is open (unless ``close_ranking``: the window closes now) and for a
    run whose inputs no longer match the round's data (offerings, locks, rankings changed
    since): the committee runs again and publishes what the tutors will see.
    The round row is locked so two committee members publishing at once publish one run;
    the partial unique constraint is the last guard.
    """
    with transaction.atomic():
        round = RecruitmentRound.objects.select_for_update().get(pk=run.round_id)
        if (
            run.round_id != round.pk
            or AllocationRun.objects.filter(round=round, is_published=True).exists()
        ):
            raise AllocationWorkflowError("This round already has a published allocation.")
        if round.state not in RUNNABLE_STATES:
            raise AllocationWorkflowError("This round is not allocating topics.")
        _close_ranking(round, close_ranking)
        run.round = round
        if not run_is_current(run):
            raise AllocationWorkflowError(
                f"Offerings, rankings or overrides changed since run {run.pk}: run the "
                "allocation again and publish the new run."
            )
        run.is_published = True
        run.published_at = timezone.now()
        run.published_by = actor
        try:
            with transaction.atomic():
                run.save(update_fields=["is_published", "published_at", "published_by"])
        except IntegrityError as exc:
            raise AllocationWorkflowError("This round already has a published allocation.") from exc
        round.state = RoundState.PUBLISHED
        round.save(update_fields=["state"])
    return run


def export_rows(run: AllocationRun) -> list[tuple]:
    """``tutor_email,topic_code,rank`` rows of a stored run (the command line's output format)."""
    return allocation_rows(engine.AllocationResult.from_dict(run.result))


def export_csv(run: AllocationRun) -> str:
    """The run as the command line's output file: one row per allocated pair."""
    return csv_text(RESULT_HEADER, export_rows(run))
