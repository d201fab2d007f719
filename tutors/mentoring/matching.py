"""Matching mentees to mentors with the topic-allocation engine. Pure Python, no Django.

The engine allocates "tutors" (here: mentees, one mentor each) to "offerings" (here: mentors,
capacity = how many mentees they offered to take). A mentee's ranking of mentors is derived
from what they said matters, most important first: a mentor scores len(priorities) - i for each
priority i they can help with (ties: the closer fit first); mentors who share nothing are left
unranked and only fill places afterwards (reported as such). A mentor must be in a later year
than the mentee. The same exact engine, objectives, locks and explanations as topic allocation.
"""

from __future__ import annotations

from dataclasses import dataclass

from tutors.allocation.engine import (
    GREEDY,
    AllocationInputs,
    AllocationResult,
    Offering,
    Tutor,
    allocate,
    explain,
)


@dataclass(frozen=True)
class Mentor:
    id: str
    capacity: int
    topics: frozenset[str]
    seniority: float


@dataclass(frozen=True)
class Mentee:
    id: str
    priorities: tuple[str, ...]
    seniority: float


@dataclass(frozen=True)
class Match:
    mentee: str
    mentor: str
    rank: int | None
    shared: tuple[str, ...]
    locked: bool
    why: str


def score(mentee: Mentee, mentor: Mentor) -> int:
    n = len(mentee.priorities)
    return sum(n - i for i, topic in enumerate(mentee.priorities) if topic in mentor.topics)


def eligible(mentee: Mentee, mentor: Mentor) -> bool:
    return mentor.id != mentee.id and mentor.seniority > mentee.seniority


def ranking(mentee: Mentee, mentors: list[Mentor]) -> tuple[str, ...]:
    """Eligible mentors sharing at least one priority: best score first, then the closer fit
    (fewer topics the mentee did not ask for), then by id so the order is stable."""
    wanted = set(mentee.priorities)
    scored = [
        (-score(mentee, m), len(m.topics - wanted), m.id) for m in mentors if eligible(mentee, m)
    ]
    return tuple(mid for s, _extra, mid in sorted(scored) if s < 0)


def build_inputs(
    mentors: list[Mentor],
    mentees: list[Mentee],
    locked: set[tuple[str, str]] = frozenset(),
    forbidden: set[tuple[str, str]] = frozenset(),
    seed: int = 0,
) -> AllocationInputs:
    """Engine inputs; ``locked``/``forbidden`` are (mentee id, mentor id) pairs."""
    tutors = [Tutor(m.id, ranking(m, mentors), max_topics=1) for m in mentees]
    ineligible = {(me.id, mo.id) for me in mentees for mo in mentors if not eligible(me, mo)} - set(
        locked
    )
    return AllocationInputs(
        offerings=[Offering(m.id, m.capacity) for m in mentors],
        tutors=tutors,
        ineligible=ineligible,
        locked=locked,
        forbidden=forbidden,
        objective=GREEDY,
        spread=False,
        fill_unranked=True,
        seed=seed,
    )


def match(
    mentors: list[Mentor],
    mentees: list[Mentee],
    locked: set[tuple[str, str]] = frozenset(),
    forbidden: set[tuple[str, str]] = frozenset(),
    seed: int = 0,
    labels: dict[str, str] | None = None,
) -> tuple[list[Match], AllocationResult, AllocationInputs]:
    """The exact optimum: as many mentees matched as possible, then as many with their best
    mentor as possible, and so on; each match explained in plain words."""
    labels = labels or {}
    inputs = build_inputs(mentors, mentees, locked, forbidden, seed)
    result = allocate(inputs)
    by_mentee = {m.id: m for m in mentees}
    rankings = {t.id: t.ranking for t in inputs.tutors}
    by_mentor = {m.id: m for m in mentors}
    out = []
    for pair in result.pairs:
        me, mo = by_mentee[pair.tutor], by_mentor[pair.offering]
        shared = tuple(t for t in me.priorities if t in mo.topics)
        named = ", ".join(labels.get(t, t) for t in shared)
        if pair.locked:
            why = "Paired by the committee (locked)."
        elif pair.unranked_fill:
            why = "No mentor who shares a priority had room; paired so nobody is left out."
        else:
            why = f"Their choice {pair.rank} of {len(rankings[me.id])}"
            why += f", sharing {named}." if named else "."
        reasons = [
            e.committee_message.replace("tutor", "mentee") for e in explain(inputs, result, me.id)
        ]
        if reasons:
            why += " Better-placed mentors: " + " ".join(reasons)
        out.append(Match(me.id, mo.id, pair.rank, shared, pair.locked, why))
    return out, result, inputs
