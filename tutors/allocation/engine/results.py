"""What the engine returns: the allocated pairs and the committee's headline figures."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .explain import Explanation, explain
from .inputs import FORMAT_VERSION, AllocationInputs, PairKey

# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Pair:
    """One allocated (tutor, offering); ``rank`` is None when the tutor did not rank it."""

    tutor: str
    offering: str
    rank: int | None
    locked: bool = False
    unranked_fill: bool = False


@dataclass
class Statistics:
    """Headline figures; percentages are of all tutors in the round."""

    places_total: int
    places_filled: int
    tutors_total: int
    tutors_unallocated: list[str]
    first_choice_count: int
    first_choice_pct: float
    top3_count: int
    top3_pct: float
    worst_rank: int | None
    rank_histogram: dict[int, int]
    rank_sum: int
    unranked_fills: int
    locked_count: int
    objective: str
    seed: int | None

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["rank_histogram"] = {str(k): v for k, v in sorted(self.rank_histogram.items())}
        d["tutors_unallocated"] = list(self.tutors_unallocated)
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Statistics:
        d = dict(data)
        d["rank_histogram"] = {int(k): int(v) for k, v in d["rank_histogram"].items()}
        d["tutors_unallocated"] = list(d["tutors_unallocated"])
        return cls(**d)


@dataclass
class AllocationResult:
    """Pairs plus statistics, and what produced them (method, objective, seed, tie order)."""

    pairs: list[Pair]
    statistics: Statistics
    method: str
    objective: str
    spread: bool
    fill_unranked: bool
    seed: int | None
    tie_break_order: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    diagnostics: dict[str, Any] = field(default_factory=dict)

    def pairs_for_tutor(self, tutor_id: str) -> list[Pair]:
        return [p for p in self.pairs if p.tutor == tutor_id]

    def pairs_for_offering(self, offering_id: str) -> list[Pair]:
        return [p for p in self.pairs if p.offering == offering_id]

    def pair_set(self) -> set[PairKey]:
        return {(p.tutor, p.offering) for p in self.pairs}

    def explain(self, inputs: AllocationInputs, tutor_id: str) -> list[Explanation]:
        return explain(inputs, self, tutor_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "method": self.method,
            "objective": self.objective,
            "spread": self.spread,
            "fill_unranked": self.fill_unranked,
            "seed": self.seed,
            "pairs": [
                {
                    "tutor": p.tutor,
                    "offering": p.offering,
                    "rank": p.rank,
                    "locked": p.locked,
                    "unranked_fill": p.unranked_fill,
                }
                for p in self.pairs
            ],
            "statistics": self.statistics.to_dict(),
            "tie_break_order": list(self.tie_break_order),
            "warnings": list(self.warnings),
            "diagnostics": dict(self.diagnostics),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AllocationResult:
        return cls(
            pairs=[
                Pair(
                    str(p["tutor"]),
                    str(p["offering"]),
                    None if p.get("rank") is None else int(p["rank"]),
                    bool(p.get("locked", False)),
                    bool(p.get("unranked_fill", False)),
                )
                for p in data["pairs"]
            ],
            statistics=Statistics.from_dict(data["statistics"]),
            method=data["method"],
            objective=data["objective"],
            spread=bool(data.get("spread", False)),
            fill_unranked=bool(data.get("fill_unranked", False)),
            seed=data.get("seed"),
            tie_break_order=list(data.get("tie_break_order", [])),
            warnings=list(data.get("warnings", [])),
            diagnostics=dict(data.get("diagnostics", {})),
        )


def compute_statistics(
    inputs: AllocationInputs, pairs: Iterable[Pair], objective: str, seed: int | None
) -> Statistics:
    """Figures for the committee; "with 1st choice"/"top 3" count tutors, not pairs."""
    pairs = list(pairs)
    tutors_total = len(inputs.tutors)
    got: dict[str, list[Pair]] = defaultdict(list)
    for p in pairs:
        got[p.tutor].append(p)
    hist = Counter(p.rank for p in pairs if p.rank is not None)
    first = sum(1 for ps in got.values() if any(p.rank == 1 for p in ps))
    top3 = sum(1 for ps in got.values() if any(p.rank is not None and p.rank <= 3 for p in ps))

    def pct(x: int) -> float:
        return round(100.0 * x / tutors_total, 2) if tutors_total else 0.0

    return Statistics(
        places_total=sum(o.capacity for o in inputs.offerings),
        places_filled=len(pairs),
        tutors_total=tutors_total,
        tutors_unallocated=sorted(t.id for t in inputs.tutors if t.id not in got),
        first_choice_count=first,
        first_choice_pct=pct(first),
        top3_count=top3,
        top3_pct=pct(top3),
        worst_rank=max(hist) if hist else None,
        rank_histogram=dict(sorted(hist.items())),
        rank_sum=sum(r * c for r, c in hist.items()),
        unranked_fills=sum(1 for p in pairs if p.unranked_fill),
        locked_count=sum(1 for p in pairs if p.locked),
        objective=objective,
        seed=seed,
    )
