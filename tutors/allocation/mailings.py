"""Publishing an allocation as a mass email: every tutor's email previewed, confirmed, held.

Undo takes the publication back (the run is a candidate again and the round returns to the
state it was in), so the committee can fix a mistake before any tutor reads it.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from meded.notifications.kinds import register_object_title
from meded.notifications.mailings import Letter, MailingError, MassAction, register_action
from meded.notifications.models import Mailing
from tutors.allocation.selectors import tutor_explanations
from tutors.allocation.services.runs import (
    AllocationWorkflowError,
    check_publishable,
    publish_run,
)
from tutors.allocation.services.swaps import SwapError, apply_swaps, proposed_swaps, undo_swaps
from tutors.models import AllocatedTopic, AllocationRun, RecruitmentRound, RoundState
from tutors.recruitment.selectors import accepted_tutors


def _letters(run: AllocationRun) -> list[Letter]:
    check_publishable(run, run.round)  # the preview refuses what the confirmation would
    pairs_by_tutor: dict[int, list[AllocatedTopic]] = {}
    for pair in run.pairs.select_related("offering__topic"):
        pairs_by_tutor.setdefault(pair.tutor_id, []).append(pair)
    letters = []
    for tutor in accepted_tutors(run.round):
        mine = pairs_by_tutor.get(tutor.pk, [])
        letters.append(
            Letter(
                user=tutor,
                object_key=f"tutors.allocationrun:{run.pk}",
                context={
                    "round": run.round,
                    "pairs": mine,
                    "explanations": tutor_explanations(run, tutor) if not mine else [],
                },
                variant="With a topic" if mine else "Without a topic",
            )
        )
    return letters


def _apply(actor, run: AllocationRun, letters: list[Letter]) -> dict:
    round = RecruitmentRound.objects.select_for_update().get(pk=run.round_id)
    tutors = set(accepted_tutors(round).values_list("pk", flat=True))
    if tutors != {letter.user.pk for letter in letters}:
        raise MailingError(
            "The round's tutors changed since you looked; check the new preview and confirm again."
        )
    previous_state = round.state
    publish_run(run, actor)
    return {"run": run.pk, "round": round.pk, "state": previous_state}


def _revert(mailing: Mailing, data: dict) -> None:
    round = RecruitmentRound.objects.select_for_update().get(pk=data["round"])
    AllocationRun.objects.filter(pk=data["run"]).update(
        is_published=False, published_at=None, published_by=None
    )
    round.state = data["state"]
    round.save(update_fields=["state"])


register_action(
    MassAction(
        name="tutors.publish_allocation",
        verb="Publish allocation",
        kind="allocation_published",
        load=lambda pk: AllocationRun.objects.select_related("round").get(pk=pk),
        letters=_letters,
        apply=_apply,
        revert=_revert,
        title=lambda run: f"Topic allocation for {run.round.name} (run {run.pk})",
        back_url=lambda run: reverse("tutors_allocation", args=[run.round_id]) + f"?run={run.pk}",
        explain="Confirming publishes this run: the allocation becomes final, tutors see their "
        "topics, and sessions can be created from it.",
    )
)


def _run_titles(pks: list[int]) -> dict[int, str]:
    runs = AllocationRun.objects.filter(pk__in=pks).select_related("round")
    return {r.pk: f"Topic allocation for {r.round.name}" for r in runs}


register_object_title("tutors.allocationrun", _run_titles)


# --- reminding by hand the tutors who have not ranked ----------------------------------------


def _not_ranked(round: RecruitmentRound):
    return accepted_tutors(round).exclude(topic_rankings__round=round)


def _reminder_letters(round: RecruitmentRound) -> list[Letter]:
    if round.state != RoundState.RANKING:
        raise AllocationWorkflowError("Reminders go only while the ranking window is open.")
    today = timezone.localdate()
    return [
        Letter(
            user=tutor,
            # one reminder by hand per tutor per day, beside the automatic one
            object_key=f"tutors.recruitmentround:{round.pk}:reminder-{today.isoformat()}",
            context={"round": round},
            deliver_before=round.ranking_closes,
        )
        for tutor in _not_ranked(round)
    ]


def _reminder_apply(actor, round: RecruitmentRound, letters: list[Letter]) -> dict:
    return {}  # a reminder changes nothing; undo only stops the emails


register_action(
    MassAction(
        name="tutors.ranking_reminder",
        verb="Remind tutors to rank",
        kind="ranking_deadline_reminder",
        load=lambda pk: RecruitmentRound.objects.get(pk=pk),
        letters=_reminder_letters,
        apply=_reminder_apply,
        revert=lambda mailing, data: None,
        title=lambda round: f"Ranking reminder for {round.name}",
        back_url=lambda round: reverse("tutors_round_rankings", args=[round.pk]),
        explain="Only tutors who have not ranked yet are reminded; a tutor who has turned "
        "tutoring reminders off is not emailed.",
    )
)


# --- approving topic swaps (top trading cycles) -----------------------------------------------


def _swap_letters(round: RecruitmentRound) -> list[Letter]:
    moves = proposed_swaps(round)
    if not moves:
        raise SwapError("No swap can be made among the open offers.")
    return [
        Letter(
            user=m.offer.pair.tutor,
            object_key=f"tutors.swapoffer:{m.offer.pk}",
            context={
                "round": round,
                "from": m.offer.pair.offering,
                "to": m.to,
                "new_rank": m.new_rank,
                "move": [m.offer.pair_id, m.to.pk],
            },
        )
        for m in moves
    ]


def _swap_apply(actor, round: RecruitmentRound, letters: list[Letter]) -> dict:
    changes = apply_swaps(actor, round, [tuple(letter.context["move"]) for letter in letters])
    return {"changes": changes}


def _swap_revert(mailing: Mailing, data: dict) -> None:
    undo_swaps(data.get("changes", []))


register_action(
    MassAction(
        name="tutors.approve_swaps",
        verb="Approve swaps",
        kind="topic_swapped",
        load=lambda pk: RecruitmentRound.objects.get(pk=pk),
        letters=_swap_letters,
        apply=_swap_apply,
        revert=_swap_revert,
        title=lambda round: f"Topic swaps for {round.name}",
        back_url=lambda round: reverse("tutors_round_swaps", args=[round.pk]),
        explain="Confirming makes every proposed swap part of the allocation (recorded with "
        "your name), moves the tutors on the topics' draft sessions and emails each tutor "
        "their new topic.",
    )
)
