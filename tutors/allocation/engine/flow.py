"""The exact lexicographic min-cost flow: one OR-Tools solve, then per-level proofs or fixes.

See the engine package's docstring for the method. Numbers only: no tutors or topics here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow

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
