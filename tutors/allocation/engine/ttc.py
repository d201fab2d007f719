"""Top trading cycles over the topics tutors offered for swap (pure Python, no Django).

Each offer is an agent holding one house (its topic). An agent's preference list names, best
first, the other houses it ranked *strictly* higher than its own; anything not listed is
worse than keeping its own. Each round every remaining agent points at the holder of its best
remaining listed house (or at itself when none is left); the cycles of that graph trade and
leave. With strict preferences this is the core of the housing market (Shapley-Scarf): every
agent ends with a house at least as good as its own (individually rational) and no set of
offers could trade again so that each is at least as well off and one better (no blocking
cycle is left). The order of the dict decides nothing: agents are walked in sorted order.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

A = TypeVar("A", bound=Hashable)


def top_trading_cycles(prefs: Mapping[A, Sequence[A]]) -> dict[A, A]:
    """agent -> the agent whose house it receives (itself when it keeps its own).

    `prefs[a]` lists other agents (their houses), best first, all strictly better than a's
    own house; unknown agents and a itself in the list are ignored.
    """
    remaining = set(prefs)
    lists = {a: [b for b in prefs[a] if b in prefs and b != a] for a in prefs}
    result: dict[A, A] = {}
    while remaining:
        points = {}
        for a in sorted(remaining, key=repr):
            best = next((b for b in lists[a] if b in remaining), a)
            points[a] = best
        # every node has out-degree 1, so walking from any node reaches a cycle
        for start in sorted(remaining, key=repr):
            if start in result:
                continue
            path: list[A] = []
            seen: dict[A, int] = {}
            node = start
            while node not in seen and node not in result:
                seen[node] = len(path)
                path.append(node)
                node = points[node]
            if node in seen:
                cycle = path[seen[node] :]
                for a in cycle:
                    result[a] = points[a]
        remaining -= set(result)
    return result


def cycles_of(assignment: Mapping[A, A]) -> list[list[A]]:
    """The trades of an assignment as cycles (each of two or more agents), in a fixed order."""
    done: set[A] = set()
    cycles = []
    for start in sorted(assignment, key=repr):
        if start in done or assignment[start] == start:
            continue
        cycle = [start]
        done.add(start)
        node = assignment[start]
        while node != start:
            cycle.append(node)
            done.add(node)
            node = assignment[node]
        cycles.append(cycle)
    return cycles
