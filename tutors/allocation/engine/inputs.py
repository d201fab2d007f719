"""What the engine reads: offerings, tutors' rankings, eligibility and committee overrides.

Plain data, so a run's inputs can be snapshotted as JSON and re-run later for an audit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

FORMAT_VERSION = 1


# --------------------------------------------------------------------------- objectives


@dataclass(frozen=True)
class Objective:
    """An objective's machine name plus the texts the committee UI shows."""

    name: str
    label: str
    description: str


GREEDY = "greedy"
GENEROUS = "generous"
MINSUM = "minsum"

OBJECTIVES: dict[str, Objective] = {
    GREEDY: Objective(
        GREEDY,
        "Greedy maximum",
        "Fill as many places as possible, then give as many tutors as possible their "
        "1st choice, then as many as possible their 2nd choice, and so on.",
    ),
    GENEROUS: Objective(
        GENEROUS,
        "Generous",
        "Fill as many places as possible, then make the worst choice anyone gets as good "
        "as possible, with as few tutors as possible on it, then the next worst, and so on.",
    ),
    MINSUM: Objective(
        MINSUM,
        "Minimum total rank",
        "Fill as many places as possible, then make the sum of the choice numbers "
        "everyone gets as small as possible.",
    ),
}

SPREAD_DESCRIPTION = (
    "Spread: every tutor gets one topic before anyone gets a second (the number of tutors "
    "with at least one topic is maximised before the objective is applied)."
)
FILL_UNRANKED_DESCRIPTION = (
    "Fill unranked: after the ranked optimum, places still empty are filled with eligible "
    "pairs the tutor did not rank (tutors with no topic first); these are reported separately."
)


class AllocationError(ValueError):
    """Inputs are inconsistent; ``problems`` lists every problem found, not just the first."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Offering:
    """A topic offering with a number of tutor places."""

    id: str
    capacity: int


@dataclass(frozen=True)
class Tutor:
    """A tutor's ranking (offering ids, best first) and how many topics they will take."""

    id: str
    ranking: tuple[str, ...] = ()
    max_topics: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "ranking", tuple(self.ranking))

    def rank_of(self, offering_id: str) -> int | None:
        """1-based rank of an offering, None if unranked."""
        try:
            return self.ranking.index(offering_id) + 1
        except ValueError:
            return None


PairKey = tuple[str, str]


def _pairs(value: Iterable[Iterable[str]]) -> frozenset[PairKey]:
    return frozenset((str(t), str(o)) for t, o in value)


@dataclass(frozen=True)
class AllocationInputs:
    """Everything the engine needs; plain data so it can be snapshotted as JSON.

    ``ineligible``: pairs ruled out by eligibility rules (build it from a predicate with
    :func:`ineligible_pairs`).  ``locked``: committee overrides that must be in the
    result (they win over ineligibility and capacity, with a warning).  ``forbidden``:
    committee overrides that must not be in the result.
    """

    offerings: tuple[Offering, ...]
    tutors: tuple[Tutor, ...]
    ineligible: frozenset[PairKey] = frozenset()
    locked: frozenset[PairKey] = frozenset()
    forbidden: frozenset[PairKey] = frozenset()
    objective: str = GREEDY
    spread: bool = False
    fill_unranked: bool = False
    seed: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "offerings", tuple(self.offerings))
        object.__setattr__(self, "tutors", tuple(self.tutors))
        for name in ("ineligible", "locked", "forbidden"):
            object.__setattr__(self, name, _pairs(getattr(self, name)))

    # -- validation ---------------------------------------------------------------

    def problems(self) -> list[str]:
        """Every inconsistency in the inputs (empty list means valid)."""
        out: list[str] = []
        if self.objective not in OBJECTIVES:
            out.append(f"unknown objective {self.objective!r} (use one of {sorted(OBJECTIVES)})")
        offering_ids: set[str] = set()
        for o in self.offerings:
            if o.id in offering_ids:
                out.append(f"duplicate offering {o.id!r}")
            offering_ids.add(o.id)
            if not isinstance(o.capacity, int) or o.capacity < 0:
                out.append(f"offering {o.id!r}: capacity must be a whole number >= 0")
        tutor_ids: set[str] = set()
        for t in self.tutors:
            if t.id in tutor_ids:
                out.append(f"duplicate tutor {t.id!r}")
            tutor_ids.add(t.id)
            if not isinstance(t.max_topics, int) or t.max_topics < 0:
                out.append(f"tutor {t.id!r}: max_topics must be a whole number >= 0")
            if len(set(t.ranking)) != len(t.ranking):
                for o, c in Counter(t.ranking).items():
                    if c > 1:
                        out.append(f"tutor {t.id!r} ranks offering {o!r} twice")
            if not offering_ids.issuperset(t.ranking):
                for o in sorted(set(t.ranking) - offering_ids):
                    out.append(f"tutor {t.id!r} ranks unknown offering {o!r}")
        for name in ("ineligible", "locked", "forbidden"):
            for t, o in sorted(getattr(self, name)):
                if t not in tutor_ids:
                    out.append(f"{name} pair ({t!r}, {o!r}): unknown tutor")
                if o not in offering_ids:
                    out.append(f"{name} pair ({t!r}, {o!r}): unknown offering")
        for t, o in sorted(self.locked & self.forbidden):
            out.append(f"pair ({t!r}, {o!r}) is both locked and forbidden")
        return out

    def validate(self) -> None:
        """Raise :class:`AllocationError` listing every problem."""
        problems = self.problems()
        if problems:
            raise AllocationError(problems)

    # -- serialisation --------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe, order-stable snapshot."""
        return {
            "version": FORMAT_VERSION,
            "offerings": [
                {"id": o.id, "capacity": o.capacity} for o in sorted(self.offerings, key=_id)
            ],
            "tutors": [
                {"id": t.id, "ranking": list(t.ranking), "max_topics": t.max_topics}
                for t in sorted(self.tutors, key=_id)
            ],
            "ineligible": [list(p) for p in sorted(self.ineligible)],
            "locked": [list(p) for p in sorted(self.locked)],
            "forbidden": [list(p) for p in sorted(self.forbidden)],
            "objective": self.objective,
            "spread": self.spread,
            "fill_unranked": self.fill_unranked,
            "seed": self.seed,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AllocationInputs:
        return cls(
            offerings=tuple(Offering(str(o["id"]), int(o["capacity"])) for o in data["offerings"]),
            tutors=tuple(
                Tutor(str(t["id"]), tuple(map(str, t["ranking"])), int(t.get("max_topics", 1)))
                for t in data["tutors"]
            ),
            ineligible=_pairs(data.get("ineligible", ())),
            locked=_pairs(data.get("locked", ())),
            forbidden=_pairs(data.get("forbidden", ())),
            objective=data.get("objective", GREEDY),
            spread=bool(data.get("spread", False)),
            fill_unranked=bool(data.get("fill_unranked", False)),
            seed=int(data.get("seed", 0)),
        )


def _id(x: Offering | Tutor) -> str:
    return x.id


def ineligible_pairs(
    tutors: Iterable[Tutor],
    offerings: Iterable[Offering],
    is_eligible: Callable[[str, str], bool],
    *,
    ranked_only: bool = True,
) -> frozenset[PairKey]:
    """Build the ineligible set from a predicate ``is_eligible(tutor_id, offering_id)``.

    With ``ranked_only`` only ranked pairs are tested (enough unless unranked fill is on).
    """
    offering_ids = [o.id for o in offerings]
    out = set()
    for t in tutors:
        for o in t.ranking if ranked_only else offering_ids:
            if not is_eligible(t.id, o):
                out.add((t.id, o))
    return frozenset(out)
