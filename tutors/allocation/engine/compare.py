"""Comparing allocations: the first-come-first-served baseline and side-by-side figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .inputs import AllocationInputs, PairKey
from .results import AllocationResult, Pair, compute_statistics
from .solver import _prepare, _seeded

# --------------------------------------------------------------------------- comparison


def serial_dictatorship(
    inputs: AllocationInputs, seed: int | None = None, order: list[str] | None = None
) -> AllocationResult:
    """Naive first-come-first-served baseline, for comparison only.

    Tutors take turns in ``order`` (default: sorted ids shuffled with ``seed``, falling
    back to ``inputs.seed``); each takes their best still-open eligible topics up to
    their limit.  Locked pairs are placed first; forbidden/ineligible pairs are skipped.
    """
    _, rem_t, rem_o, locked, warnings = _prepare(inputs)
    seed = inputs.seed if seed is None and order is None else seed
    turn = list(order) if order is not None else _seeded((t.id for t in inputs.tutors), seed)
    tutors = {t.id: t for t in inputs.tutors}
    excluded = inputs.ineligible | inputs.forbidden | inputs.locked
    pairs = list(locked)
    for t in turn:
        for i, o in enumerate(tutors[t].ranking):
            if rem_t[t] <= 0:
                break
            if rem_o[o] > 0 and (t, o) not in excluded:
                pairs.append(Pair(t, o, i + 1))
                rem_t[t] -= 1
                rem_o[o] -= 1
    pairs.sort(key=lambda p: (p.tutor, p.rank is None, p.rank or 0, p.offering))
    return AllocationResult(
        pairs=pairs,
        statistics=compute_statistics(inputs, pairs, "serial_dictatorship", seed),
        method="serial_dictatorship",
        objective="serial_dictatorship",
        spread=False,
        fill_unranked=False,
        seed=seed,
        tie_break_order=turn,
        warnings=warnings,
    )


@dataclass
class Comparison:
    """Side-by-side figures of two results; ``rows`` are (label, a, b)."""

    label_a: str
    label_b: str
    rows: list[tuple[str, Any, Any]]
    only_in_a: list[PairKey]
    only_in_b: list[PairKey]

    def as_text(self) -> str:
        width = max(len(r[0]) for r in self.rows)
        lines = [f"{'':<{width}}  {self.label_a:>14}  {self.label_b:>14}"]
        for label, a, b in self.rows:
            lines.append(f"{label:<{width}}  {_fmt(a):>14}  {_fmt(b):>14}")
        lines.append(
            f"{'pairs that differ':<{width}}  {len(self.only_in_a):>14}  {len(self.only_in_b):>14}"
        )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label_a": self.label_a,
            "label_b": self.label_b,
            "rows": [list(r) for r in self.rows],
            "only_in_a": [list(p) for p in self.only_in_a],
            "only_in_b": [list(p) for p in self.only_in_b],
        }


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.1f}"
    return "-" if v is None else str(v)


def compare(result_a: AllocationResult, result_b: AllocationResult) -> Comparison:
    """Summary of two allocations of the same round (e.g. engine vs serial dictatorship)."""
    sa, sb = result_a.statistics, result_b.statistics
    rows: list[tuple[str, Any, Any]] = [
        ("places filled", sa.places_filled, sb.places_filled),
        ("tutors unallocated", len(sa.tutors_unallocated), len(sb.tutors_unallocated)),
        ("with 1st choice", sa.first_choice_count, sb.first_choice_count),
        ("% with 1st choice", sa.first_choice_pct, sb.first_choice_pct),
        ("% top 3", sa.top3_pct, sb.top3_pct),
        ("worst rank", sa.worst_rank, sb.worst_rank),
        ("sum of ranks", sa.rank_sum, sb.rank_sum),
        ("unranked fills", sa.unranked_fills, sb.unranked_fills),
    ]
    pa, pb = result_a.pair_set(), result_b.pair_set()
    return Comparison(
        label_a=result_a.objective,
        label_b=result_b.objective,
        rows=rows,
        only_in_a=sorted(pa - pb),
        only_in_b=sorted(pb - pa),
    )
