"""Why a tutor did not get a topic they preferred: gently for the tutor, fully for the committee."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .inputs import OBJECTIVES, AllocationError

if TYPE_CHECKING:  # types only: results imports this module to offer result.explain()
    from .inputs import AllocationInputs, Tutor
    from .results import AllocationResult, Pair

# --------------------------------------------------------------------------- explain

FORBIDDEN = "forbidden"
INELIGIBLE = "ineligible"
LOCKED = "locked"
RANKED_HIGHER = "ranked_higher"
TIE = "tie"
OBJECTIVE_TRADE = "objective"
NO_PLACES = "no_places"
OTHER = "other"


@dataclass(frozen=True)
class Explanation:
    """Why a tutor did not get one topic they ranked above their best allocated one.

    ``message`` is the gentle, anonymous text for the tutor; ``committee_message`` names
    the other tutors (with their ranks for this topic) for the committee.
    """

    offering: str
    rank: int
    reason: str
    message: str
    committee_message: str
    others: tuple[tuple[str, int | None], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "offering": self.offering,
            "rank": self.rank,
            "reason": self.reason,
            "message": self.message,
            "committee_message": self.committee_message,
            "others": [list(o) for o in self.others],
        }


def _who(others: Iterable[tuple[str, int | None]]) -> str:
    return ", ".join(f"{t} (ranked it {r if r is not None else 'unranked'})" for t, r in others)


def explain(inputs: AllocationInputs, result: AllocationResult, tutor_id: str) -> list[Explanation]:
    """Why not, for each ranked topic the tutor did not get that they would have preferred.

    Those are the topics ranked above the worst one they got once they have all the
    topics they may take (``max_topics``); otherwise every ranked topic they did not get
    (an unallocated tutor, or one with k >= 2 who got fewer than k).
    """
    tutor = next((t for t in inputs.tutors if t.id == tutor_id), None)
    if tutor is None:
        raise AllocationError([f"unknown tutor {tutor_id!r}"])
    return _explain_tutor(_ExplainContext(inputs, result), tutor)


def explain_all(inputs: AllocationInputs, result: AllocationResult) -> dict[str, list[Explanation]]:
    """:func:`explain` for every tutor at once (one pass over the pairs, for the committee)."""
    ctx = _ExplainContext(inputs, result)
    return {t.id: _explain_tutor(ctx, t) for t in inputs.tutors}


class _ExplainContext:
    """What every tutor's explanation reads: places, who holds each offering, objective."""

    def __init__(self, inputs: AllocationInputs, result: AllocationResult):
        self.inputs = inputs
        self.result = result
        self.capacity = {o.id: o.capacity for o in inputs.offerings}
        self.holders: dict[str, list[Pair]] = defaultdict(list)
        self.mine: dict[str, list[Pair]] = defaultdict(list)
        for p in result.pairs:
            self.holders[p.offering].append(p)
            self.mine[p.tutor].append(p)
        objective = OBJECTIVES.get(result.objective)
        self.obj_label = objective.label if objective else result.objective


def _explain_tutor(ctx: _ExplainContext, tutor: Tutor) -> list[Explanation]:
    inputs, result, capacity, holders = ctx.inputs, ctx.result, ctx.capacity, ctx.holders
    obj_label, tutor_id = ctx.obj_label, tutor.id
    mine = ctx.mine.get(tutor_id, [])
    got = {p.offering for p in mine}
    worst = max((p.rank for p in mine if p.rank is not None), default=None)
    full = len(mine) >= tutor.max_topics
    limit = (worst - 1) if full and worst is not None else len(tutor.ranking)
    out: list[Explanation] = []
    for i, o in enumerate(tutor.ranking[:limit]):
        if o in got:
            continue
        rank = i + 1
        key = (tutor_id, o)
        held = holders.get(o, [])
        locked_n = sum(1 for p in held if p.locked)
        others = [p for p in held if not p.locked and p.tutor != tutor_id]
        higher = [(p.tutor, p.rank) for p in others if p.rank is not None and p.rank < rank]
        equal = [(p.tutor, p.rank) for p in others if p.rank == rank]
        lower = [(p.tutor, p.rank) for p in others if p.rank is None or p.rank > rank]
        if key in inputs.forbidden:
            reason, msg = FORBIDDEN, "The committee decided you should not teach this topic."
            cmsg, who = "Forbidden by the committee.", []
        elif key in inputs.ineligible:
            reason, msg = INELIGIBLE, "You were not eligible to teach this topic."
            cmsg, who = "Tutor was ineligible.", []
        elif capacity.get(o, 0) == 0:
            reason, msg = NO_PLACES, "This topic had no tutor places."
            cmsg, who = "Offering has no places.", []
        elif locked_n >= capacity[o]:
            reason = LOCKED
            msg = "All places on this topic were assigned in advance by the committee."
            cmsg, who = f"Filled by locked pairs ({locked_n}).", []
        elif higher:
            reason = RANKED_HIGHER
            n = len(higher)
            msg = (
                f"Its places went to {n} tutor{'s' if n != 1 else ''} who ranked it "
                f"higher than you did."
            )
            cmsg, who = f"Filled by tutors who ranked it higher: {_who(higher)}.", higher
            if locked_n:
                cmsg += f" Plus {locked_n} locked pair(s)."
        elif equal:
            reason = TIE
            msg = (
                "Other tutors ranked it just as highly as you did; the tie was broken by a "
                "fair random draw."
            )
            cmsg = (
                f"Filled by tutors who ranked it equally, broken by the seeded tie-break "
                f"(seed {result.seed}): {_who(equal)}."
            )
            who = equal
        elif lower:
            reason = OBJECTIVE_TRADE
            msg = (
                "Giving you this topic would have left the overall allocation worse for "
                "other tutors, so its places went elsewhere."
            )
            cmsg = (
                f"Given to tutors who ranked it lower because the objective "
                f"({obj_label}) does better overall that way: {_who(lower)}."
            )
            who = lower
        else:
            reason = OTHER
            msg = "This topic could not be given to you in the best overall allocation."
            cmsg = (
                f"Place(s) left free: the objective ({obj_label}) preferred the tutor's "
                f"other allocation or limit ({tutor.max_topics} topic(s))."
            )
            who = []
        out.append(Explanation(o, rank, reason, msg, cmsg, tuple(who)))
    return out
