"""allocate(): build the flow graph from the inputs, solve it exactly, read the pairs back."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from itertools import chain
from typing import Any

import numpy as np

from .flow import _KIND_MIDDLE, _KIND_SINK, _KIND_SOURCE, _KIND_UNIT, _SINK, _Graph, _lex_flow
from .inputs import GENEROUS, GREEDY, MINSUM, AllocationError, AllocationInputs
from .results import AllocationResult, Pair, compute_statistics

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
