"""Topic-allocation engine: which tutor teaches which topic offering.

Pure Python + OR-Tools + numpy (numpy ships with OR-Tools).  No Django imports: the
Django side snapshots :class:`AllocationInputs` / :class:`AllocationResult` through
``to_dict()`` / ``from_dict()`` and shows the objective texts in :data:`OBJECTIVES`.

Model
-----
A min-cost flow ``source -> tutor (capacity k) -> offering (capacity 1 per arc) -> sink
(capacity = places)``.  One arc per ranked, eligible, non-forbidden (tutor, offering)
pair, so a tutor can never get the same topic twice and there is no slot expansion.
Committee-locked pairs are pre-assigned (capacities reduced); forbidden and ineligible
pairs get no arc.

Every objective first maximises the number of places filled, then optimises a
*lexicographic* sequence of linear "levels" (e.g. greedy: number of 1st choices, then
2nd choices, ...).  Exponential weights for ten levels overflow int64, so the engine is
exact by construction instead (see :func:`_lex_flow`):

1. one OR-Tools solve with cheap *heuristic* lexicographic weights (base 4) - usually
   already optimal;
2. the max-flow face is fixed from a residual reachability cut;
3. for each level in turn, Bellman-Ford on the residual graph (int64, tiny costs) either
   proves the current flow optimal for that level - its distances are optimal duals, so
   arcs with non-zero reduced cost are fixed (complementary slackness) and the optimal
   face shrinks to exactly the solutions that keep this level optimal - or finds a
   negative cycle, in which case an exact OR-Tools solve of the remaining face is run
   with exactly-packed weights for as many levels as provably fit in int64.

The result is the exact lexicographic optimum for any number of ranks and places.
Ties are broken by node/arc order, which comes from sorting ids and then shuffling with
``random.Random(seed)``: the same inputs and seed always give the same allocation, no
matter how the caller ordered its lists.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow

__all__ = [
    "GENEROUS",
    "GREEDY",
    "MINSUM",
    "OBJECTIVES",
    "AllocationError",
    "AllocationInputs",
    "AllocationResult",
    "Comparison",
    "Explanation",
    "Objective",
    "Offering",
    "Pair",
    "Statistics",
    "Tutor",
    "allocate",
    "compare",
    "compute_statistics",
    "explain",
    "explain_all",
    "ineligible_pairs",
    "serial_dictatorship",
]

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


# --------------------------------------------------------------------------- flow core

_SOURCE, _SINK = 0, 1
_KIND_SOURCE, _KIND_UNIT, _KIND_MIDDLE, _KIND_SINK = 0, 1, 2, 3
_HEURISTIC_BASE = 4  # measured: base 4 already gives the exact profile on the bench sets
_HEURISTIC_BUDGET = 1 << 24  # keeps the first solve's cost-scaling phases few
_INT64_SAFE = 1 << 62
_TRIM_ROUNDS = 64  # peeling is a speed-up only; long chains would make it quadratic


def _csr(n: int, tails: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(tails, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(tails, minlength=n), out=indptr[1:])
    return order, indptr


def _gather(indptr: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """Positions (in CSR order) of every out-arc of ``nodes``."""
    starts = indptr[nodes]
    lens = indptr[nodes + 1] - starts
    total = int(lens.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lens)
    return np.repeat(starts - ends + lens, lens) + np.arange(total, dtype=np.int64)


def _residual(
    tail: np.ndarray, head: np.ndarray, cap: np.ndarray, x: np.ndarray, cost: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    fw = x < cap
    bw = x > 0
    rt = np.concatenate([tail[fw], head[bw]])
    rh = np.concatenate([head[fw], tail[bw]])
    rc = None if cost is None else np.concatenate([cost[fw], -cost[bw]])
    return rt, rh, rc


def _reachable(n: int, rt: np.ndarray, rh: np.ndarray, start: int) -> np.ndarray:
    """Nodes reachable from ``start`` (frontier BFS, vectorised)."""
    order, indptr = _csr(n, rt)
    heads = rh[order]
    seen = np.zeros(n, dtype=bool)
    seen[start] = True
    frontier = np.array([start], dtype=np.int64)
    while frontier.size:
        nxt = heads[_gather(indptr, frontier)]
        nxt = np.unique(nxt[~seen[nxt]])
        seen[nxt] = True
        frontier = nxt
    return seen


def _potentials(n: int, rt: np.ndarray, rh: np.ndarray, rc: np.ndarray) -> np.ndarray | None:
    """Shortest distances from a virtual root (0-cost arc to every node), or None.

    None means the residual graph has a negative cycle, i.e. the flow is not optimal for
    these costs.  Round-based (Jacobi) Bellman-Ford over changed nodes only; a cycle in
    the parent pointers is always negative, which we check every few rounds.
    """
    order, indptr = _csr(n, rt)
    t, h, c = rt[order], rh[order], rc[order]
    d = np.zeros(n, dtype=np.int64)
    parent = np.arange(n, dtype=np.int64)
    frontier = np.arange(n, dtype=np.int64)
    rounds = 0
    doubling = max(1, math.ceil(math.log2(max(n, 2)))) + 1
    while frontier.size:
        rounds += 1
        pos = _gather(indptr, frontier)
        if pos.size == 0:
            break
        hh = h[pos]
        cand = d[t[pos]] + c[pos]
        better = cand < d[hh]
        if not better.any():
            break
        hh, cand, tt = hh[better], cand[better], t[pos][better]
        np.minimum.at(d, hh, cand)
        win = cand == d[hh]
        parent[hh[win]] = tt[win]
        frontier = np.unique(hh)
        if rounds % 8 == 0 or rounds > n:
            p = parent.copy()
            for _ in range(doubling):
                p = p[p]
            if (parent[p] != p).any():
                return None
            if rounds > n + 1:  # pragma: no cover - belt and braces
                return None
    return d


@dataclass
class _Graph:
    n: int
    tail: np.ndarray
    head: np.ndarray
    cap: np.ndarray
    kind: np.ndarray
    rank: np.ndarray  # 0 where not a ranked middle arc


def _solve_ortools(
    n: int,
    tail: np.ndarray,
    head: np.ndarray,
    cap: np.ndarray,
    cost: np.ndarray,
    supply: np.ndarray | None,
) -> np.ndarray | None:
    """One OR-Tools solve; supply None means max flow source->sink with min cost."""
    smcf = min_cost_flow.SimpleMinCostFlow()
    if tail.size:
        smcf.add_arcs_with_capacity_and_unit_cost(tail, head, cap, cost)
    if supply is None:
        total = int(cap[tail == _SOURCE].sum())
        smcf.set_node_supply(_SOURCE, total)
        smcf.set_node_supply(_SINK, -total)
        status = smcf.solve_max_flow_with_min_cost()
    else:
        nodes = np.flatnonzero(supply)
        if nodes.size:
            smcf.set_nodes_supplies(nodes, supply[nodes])
        if tail.size == 0:
            return np.zeros(0, dtype=np.int64) if not nodes.size else None
        status = smcf.solve()
    if status != smcf.OPTIMAL:
        return None
    if tail.size == 0:
        return np.zeros(0, dtype=np.int64)
    return np.asarray(smcf.flows(np.arange(tail.size)), dtype=np.int64)


def _pack(
    levels: list[np.ndarray],
    start: int,
    free_idx: np.ndarray,
    cap: np.ndarray,
    layer: np.ndarray,
    flow_bound: int,
    n_nodes: int,
) -> tuple[np.ndarray, int]:
    """Exact lexicographic weights for levels[start:end] that provably fit in int64.

    Level l's value can vary by at most D_l = min(sum |c| * cap, max|c| * flow * layers)
    over the free arcs (the graph is layered and acyclic, so each unit of flow crosses each
    arc layer at most once), so weight_l = prod_{m>l} (D_m + 1) makes one unit of a higher
    level worth more than any change below it.  OR-Tools needs max|cost| * (nodes + 1) < 2^63.
    """
    limit = _INT64_SAFE // (2 * (n_nodes + 1) + 2 * max(flow_bound, 1))
    chosen: list[tuple[np.ndarray, int, int]] = []
    end = start
    for li in range(start, len(levels)):
        lv = levels[li][free_idx]
        amax = int(np.abs(lv).max()) if lv.size else 0
        layers = len(np.unique(layer[free_idx][lv != 0])) if amax else 0
        span = min(int(np.abs(lv) @ cap[free_idx]), amax * flow_bound * layers) if amax else 0
        trial = [*chosen, (lv, amax, span)]
        total, weight = 0, 1
        for _lv, a, s in reversed(trial):
            total += weight * a
            weight *= s + 1
        if chosen and total > limit:
            break
        chosen = trial
        end = li + 1
    cost = np.zeros(free_idx.size, dtype=np.int64)
    weight = 1
    for lv, _a, s in reversed(chosen):
        cost += weight * lv
        weight *= s + 1
    return cost, end


def _heuristic_cost(levels: list[np.ndarray], m: int) -> np.ndarray:
    """Cheap weights that are usually (not provably) lexicographic; verified afterwards.

    Weight ratio between consecutive levels is base * max|cost|; levels that do not fit
    in the budget are left to the exact stages (most important levels kept first).
    """
    amaxes = [int(np.abs(lv).max()) if lv.size else 0 for lv in levels]
    used, span = 0, 1
    for a in amaxes:
        nxt = span * max(a, 1) * _HEURISTIC_BASE
        if used and nxt > _HEURISTIC_BUDGET:
            break
        span, used = nxt, used + 1
    cost = np.zeros(m, dtype=np.int64)
    weight = 1
    for lv, a in zip(reversed(levels[:used]), reversed(amaxes[:used]), strict=True):
        if a:
            cost += weight * lv
            weight *= _HEURISTIC_BASE * a
    return cost


def _trim_immovable(
    n: int, tail: np.ndarray, head: np.ndarray, cap: np.ndarray, x: np.ndarray, red: np.ndarray
) -> np.ndarray:
    """Mask of free arcs that can still change inside the optimal face.

    Two optimal flows differ by cycles of zero-reduced-cost residual arcs, so an arc whose
    residual arcs cannot lie on such a cycle keeps its flow.  Repeatedly dropping nodes
    with no tight in- or out-arc is a cheap, safe under-approximation of the SCC test.
    """
    tight = red == 0
    fw = np.flatnonzero(tight & (x < cap))
    bw = np.flatnonzero(tight & (x > 0))
    gt = np.concatenate([tail[fw], head[bw]])
    gh = np.concatenate([head[fw], tail[bw]])
    arc = np.concatenate([fw, bw])
    alive = np.ones(gt.size, dtype=bool)
    for _ in range(_TRIM_ROUNDS):  # stopping early is safe: it only keeps more arcs free
        if not alive.any():
            break
        indeg = np.bincount(gh[alive], minlength=n)
        outdeg = np.bincount(gt[alive], minlength=n)
        dead = (indeg == 0) | (outdeg == 0)
        kill = alive & (dead[gt] | dead[gh])
        if not kill.any():
            break
        alive &= ~kill
    movable = np.zeros(tail.size, dtype=bool)
    movable[arc[alive]] = True
    return movable


def _lex_flow(g: _Graph, levels: list[np.ndarray]) -> tuple[np.ndarray, dict[str, Any]]:
    """Max flow source->sink, then lexicographically minimise ``levels`` (exactly).

    See the module docstring for the method.  Returns flows per arc and diagnostics.
    """
    m = g.tail.size
    diag: dict[str, Any] = {"ortools_solves": 0, "verified_levels": 0, "exact_levels": 0}
    if m == 0:
        return np.zeros(0, dtype=np.int64), diag
    levels = [lv for lv in levels if lv.any()]
    x = _solve_ortools(g.n, g.tail, g.head, g.cap, _heuristic_cost(levels, m), None)
    diag["ortools_solves"] += 1
    if x is None:  # pragma: no cover - heuristic costs are tiny
        raise RuntimeError("OR-Tools failed on the allocation graph")
    if not levels:
        return x, diag  # plain max flow: nothing left to optimise
    if len(levels) == 1 and np.array_equal(levels[0], _heuristic_cost(levels, m)):
        diag["verified_levels"] = 1  # single linear level: the solve itself is exact
        return x, diag

    # Face of maximum flows: S = residual reach of the source; S->T arcs full, T->S empty.
    rt, rh, _ = _residual(g.tail, g.head, g.cap, x, None)
    s_side = _reachable(g.n, rt, rh, _SOURCE)
    flow_value = int(x[g.tail == _SOURCE].sum())
    free = s_side[g.tail] == s_side[g.head]
    supply = np.zeros(g.n, dtype=np.int64)
    supply[_SOURCE], supply[_SINK] = flow_value, -flow_value

    def fix(mask_idx: np.ndarray) -> None:
        f = x[mask_idx]
        np.subtract.at(supply, g.tail[mask_idx], f)
        np.add.at(supply, g.head[mask_idx], f)
        free[mask_idx] = False

    fix(np.flatnonzero(~free))

    li = 0
    while li < len(levels):
        idx = np.flatnonzero(free)
        lv = levels[li][idx]
        if idx.size == 0:
            break
        if not lv.any():
            li += 1
            continue
        tl, hd, cp, xs = g.tail[idx], g.head[idx], g.cap[idx], x[idx]
        rt, rh, rc = _residual(tl, hd, cp, xs, lv)
        d = _potentials(g.n, rt, rh, rc)
        if d is not None:
            cost, end = lv, li + 1
            diag["verified_levels"] += 1
        else:
            # Not optimal for this level: exact solve of the current face, packing as
            # many further levels as provably fit in int64.
            flow_bound = int(supply[supply > 0].sum())
            layer = np.where(g.kind == _KIND_UNIT, _KIND_SOURCE, g.kind)  # unit+rest: 1 layer
            cost, end = _pack(levels, li, idx, g.cap, layer, flow_bound, g.n)
            xs = _solve_ortools(g.n, tl, hd, cp, cost, supply)
            diag["ortools_solves"] += 1
            diag["exact_levels"] += end - li
            if xs is None:  # pragma: no cover - packing keeps costs in range
                raise RuntimeError("OR-Tools failed on an exact allocation stage")
            x[idx] = xs
            rt, rh, rc = _residual(tl, hd, cp, xs, cost)
            d = _potentials(g.n, rt, rh, rc)
            if d is None:  # pragma: no cover - an optimal flow has no negative cycle
                raise RuntimeError("optimality check failed after exact solve")
        red = cost + d[tl] - d[hd]
        movable = _trim_immovable(g.n, tl, hd, cp, xs, red) & (red == 0)
        fix(idx[~movable])
        li = end
    return x, diag


# --------------------------------------------------------------------------- allocate


def _seeded(ids: Iterable[str], seed: int | None) -> list[str]:
    out = sorted(ids)
    if seed is not None:
        random.Random(seed).shuffle(out)
    return out


def _prepare(
    inputs: AllocationInputs,
) -> tuple[list[str], dict[str, int], dict[str, int], list[Pair], list[str]]:
    """Validate, apply locks; returns tutor order, remaining capacities, locked pairs, warnings."""
    inputs.validate()
    tutors = {t.id: t for t in inputs.tutors}
    rem_t = {t.id: t.max_topics for t in inputs.tutors}
    rem_o = {o.id: o.capacity for o in inputs.offerings}
    warnings: list[str] = []
    locked: list[Pair] = []
    for t, o in sorted(inputs.locked):
        locked.append(Pair(t, o, tutors[t].rank_of(o), locked=True))
        rem_t[t] -= 1
        rem_o[o] -= 1
        if (t, o) in inputs.ineligible:
            warnings.append(f"locked pair ({t}, {o}) overrides ineligibility")
    for t, r in sorted(rem_t.items()):
        if r < 0:
            warnings.append(f"tutor {t} is locked into {-r} more topic(s) than max_topics")
            rem_t[t] = 0
    for o, r in sorted(rem_o.items()):
        if r < 0:
            warnings.append(f"offering {o} is locked over capacity by {-r}")
            rem_o[o] = 0
    order = _seeded(tutors, inputs.seed)
    return order, rem_t, rem_o, locked, warnings


ArcList = tuple[Sequence[str], Sequence[int] | None]


def _build_graph(
    tutor_order: list[str],
    offering_order: list[str],
    rem_t: dict[str, int],
    rem_o: dict[str, int],
    arcs_for: Callable[[str], ArcList],
    unit_tutors: set[str],
) -> _Graph:
    """Nodes: 0 source, 1 sink, tutors, offerings (both in seeded order).

    ``arcs_for(t)`` gives the tutor's candidate offerings and their ranks (None: 1, 2, ...).
    Arc order = tutor order, then the tutor's list order; it decides ties.
    """
    n_t = len(tutor_order)
    base_o = 2 + n_t
    o_node = {o: base_o + i for i, o in enumerate(offering_order)}
    o_left = np.fromiter(map(rem_o.__getitem__, offering_order), np.int64, len(offering_order))
    t_left = np.fromiter(map(rem_t.__getitem__, tutor_order), np.int64, n_t)
    t_unit = np.fromiter(map(unit_tutors.__contains__, tutor_order), bool, n_t) & (t_left >= 1)
    t_nodes = np.arange(2, base_o, dtype=np.int64)

    # source arcs: optional first unit (spread) + the rest
    t_rest = t_left - t_unit
    src_unit = t_nodes[t_unit]
    src_rest = np.flatnonzero(t_rest > 0)
    # middle arcs
    active = np.flatnonzero(t_left > 0).tolist()
    lists = [arcs_for(tutor_order[i]) for i in active]
    lens = np.fromiter((len(offs) for offs, _ in lists), np.int64, len(lists))
    flat = chain.from_iterable(offs for offs, _ in lists)
    mid_o = np.fromiter(map(o_node.__getitem__, flat), np.int64, int(lens.sum()))
    mid_t = np.repeat(np.array(active, dtype=np.int64) + 2, lens)
    if all(rk is None for _, rk in lists):
        starts = np.cumsum(lens) - lens
        mid_r = np.arange(int(lens.sum()), dtype=np.int64) - np.repeat(starts, lens) + 1
    else:
        mid_r = np.array(
            [r for offs, rk in lists for r in (rk if rk is not None else range(1, len(offs) + 1))],
            dtype=np.int64,
        )
    if mid_o.size:
        keep = o_left[mid_o - base_o] > 0
        mid_t, mid_o, mid_r = mid_t[keep], mid_o[keep], mid_r[keep]
    else:
        mid_t = mid_o = mid_r = np.zeros(0, dtype=np.int64)
    snk = np.flatnonzero(o_left > 0)
    n_mid = mid_t.size
    tail = np.concatenate(
        [np.zeros(src_unit.size + src_rest.size, dtype=np.int64), mid_t, snk + base_o]
    )
    head = np.concatenate([src_unit, src_rest + 2, mid_o, np.full(snk.size, _SINK, dtype=np.int64)])
    cap = np.concatenate(
        [
            np.ones(src_unit.size, dtype=np.int64),
            t_rest[src_rest],
            np.ones(n_mid, dtype=np.int64),
            o_left[snk],
        ]
    )
    kind = np.concatenate(
        [
            np.full(src_unit.size, _KIND_UNIT, dtype=np.int64),
            np.full(src_rest.size, _KIND_SOURCE, dtype=np.int64),
            np.full(n_mid, _KIND_MIDDLE, dtype=np.int64),
            np.full(snk.size, _KIND_SINK, dtype=np.int64),
        ]
    )
    rank = np.concatenate(
        [
            np.zeros(src_unit.size + src_rest.size, dtype=np.int64),
            mid_r,
            np.zeros(snk.size, dtype=np.int64),
        ]
    )
    return _Graph(base_o + len(offering_order), tail, head, cap, kind, rank)


def _objective_levels(g: _Graph, objective: str, spread: bool) -> list[np.ndarray]:
    """The lexicographic levels (minimised in order) after "fill as many places as possible"."""
    middle = g.kind == _KIND_MIDDLE
    ranks = sorted({int(r) for r in np.unique(g.rank[middle]) if r > 0})
    levels: list[np.ndarray] = []
    if spread:
        levels.append(-(g.kind == _KIND_UNIT).astype(np.int64))
    if objective == GREEDY:
        # n_1 max, n_2 max, ...; the last rank's count is then implied by places filled.
        levels += [-(middle & (g.rank == r)).astype(np.int64) for r in ranks[:-1]]
    elif objective == GENEROUS:
        levels += [(middle & (g.rank == r)).astype(np.int64) for r in reversed(ranks[1:])]
    elif objective == MINSUM:
        levels.append(np.where(middle, g.rank, 0).astype(np.int64))
    else:  # pragma: no cover - validated earlier
        raise AllocationError([f"unknown objective {objective!r}"])
    return levels


def allocate(inputs: AllocationInputs) -> AllocationResult:
    """Run the chosen objective exactly; see the module docstring for the method.

    Spread (``inputs.spread``): the number of tutors with at least one topic is maximised
    before the objective's rank levels (places filled stay maximal too: augmenting a flow
    never un-serves a tutor, so both maxima are reached together).  Each tutor's
    capacity is split into a first unit (rewarded) and the rest.

    Fill unranked (``inputs.fill_unranked``): the ranked optimum is kept as is; then the
    remaining places are filled, as many as possible, with eligible, non-forbidden pairs
    the tutor did not rank, preferring tutors who still have no topic.
    """
    order, rem_t, rem_o, locked, warnings = _prepare(inputs)
    tutors = {t.id: t for t in inputs.tutors}
    excluded = inputs.ineligible | inputs.forbidden | inputs.locked
    offering_order = _seeded((o.id for o in inputs.offerings), inputs.seed)
    has_lock = {t for t, _ in inputs.locked}

    def ranked_arcs(t: str) -> ArcList:
        ranking = tutors[t].ranking
        if excluded and any((t, o) in excluded for o in ranking):
            kept = [(o, i + 1) for i, o in enumerate(ranking) if (t, o) not in excluded]
            return [o for o, _ in kept], [r for _, r in kept]
        return ranking, None

    unit = {t for t in order if inputs.spread and t not in has_lock and rem_t[t] >= 1}
    g = _build_graph(order, offering_order, rem_t, rem_o, ranked_arcs, unit)
    x, diag = _lex_flow(g, _objective_levels(g, inputs.objective, inputs.spread))
    pairs = list(locked) + _pairs_from_flow(g, x, order, offering_order, fill=False)

    if inputs.fill_unranked:
        fill_pairs, fill_diag = _fill_unranked(inputs, pairs, rem_t, rem_o, order, offering_order)
        pairs += fill_pairs
        diag["fill"] = fill_diag
    pairs.sort(key=lambda p: (p.tutor, p.rank is None, p.rank or 0, p.offering))
    stats = compute_statistics(inputs, pairs, inputs.objective, inputs.seed)
    return AllocationResult(
        pairs=pairs,
        statistics=stats,
        method="flow",
        objective=inputs.objective,
        spread=inputs.spread,
        fill_unranked=inputs.fill_unranked,
        seed=inputs.seed,
        tie_break_order=order,
        warnings=warnings,
        diagnostics=diag,
    )


def _pairs_from_flow(
    g: _Graph, x: np.ndarray, tutor_order: list[str], offering_order: list[str], *, fill: bool
) -> list[Pair]:
    used = np.flatnonzero((g.kind == _KIND_MIDDLE) & (x > 0))
    base_o = 2 + len(tutor_order)
    tutors = (g.tail[used] - 2).tolist()
    offerings = (g.head[used] - base_o).tolist()
    ranks = g.rank[used].tolist()
    if fill:
        return [
            Pair(tutor_order[t], offering_order[o], None, unranked_fill=True)
            for t, o in zip(tutors, offerings, strict=True)
        ]
    return [
        Pair(tutor_order[t], offering_order[o], r)
        for t, o, r in zip(tutors, offerings, ranks, strict=True)
    ]


def _fill_unranked(
    inputs: AllocationInputs,
    pairs: list[Pair],
    rem_t: dict[str, int],
    rem_o: dict[str, int],
    order: list[str],
    offering_order: list[str],
) -> tuple[list[Pair], dict[str, Any]]:
    """Second phase: max number of unranked fills, tutors with no topic first.

    Arcs are built only between tutors with spare capacity and offerings with spare
    places, so the size is (spare tutors) x (spare offerings).
    """
    left_t = dict(rem_t)
    left_o = dict(rem_o)
    served = set()
    for p in pairs:
        served.add(p.tutor)
        if not p.locked:
            left_t[p.tutor] -= 1
            left_o[p.offering] -= 1
    tutors = {t.id: t for t in inputs.tutors}
    blocked = inputs.ineligible | inputs.forbidden | {(p.tutor, p.offering) for p in pairs}
    open_offerings = [o for o in offering_order if left_o[o] > 0]

    def unranked_arcs(t: str) -> ArcList:
        ranked = set(tutors[t].ranking)
        offs = [o for o in open_offerings if o not in ranked and (t, o) not in blocked]
        return offs, [0] * len(offs)

    unit = {t for t in order if t not in served and left_t[t] >= 1}
    g = _build_graph(order, offering_order, left_t, left_o, unranked_arcs, unit)
    levels = [-(g.kind == _KIND_UNIT).astype(np.int64)]
    x, diag = _lex_flow(g, levels)
    return _pairs_from_flow(g, x, order, offering_order, fill=True), diag


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
