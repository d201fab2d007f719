"""Top trading cycles against brute force on tiny swap markets: every tutor keeps a topic at
least as good as their own, and no set of offers could trade again to everyone's benefit."""

from __future__ import annotations

from itertools import permutations

from hypothesis import given, settings
from hypothesis import strategies as st

from tutors.allocation.engine.ttc import cycles_of, top_trading_cycles


@st.composite
def markets(draw):
    """agent -> other agents it ranks strictly above its own house, best first."""
    n = draw(st.integers(min_value=1, max_value=6))
    prefs = {}
    for a in range(n):
        others = [b for b in range(n) if b != a]
        liked = draw(st.lists(st.sampled_from(others), unique=True) if others else st.just([]))
        prefs[a] = liked
    return prefs


def position(prefs, agent, house) -> int:
    """0 for the best listed house ... len(list) for its own; None for an unacceptable one."""
    if house == agent:
        return len(prefs[agent])
    return prefs[agent].index(house) if house in prefs[agent] else None


def dominates(prefs, other: dict, result: dict) -> bool:
    """`other` leaves every agent at least as well off as `result`, one strictly better."""
    better = False
    for a in prefs:
        mine, theirs = position(prefs, a, result[a]), position(prefs, a, other[a])
        if theirs is None or theirs > mine:
            return False
        better |= theirs < mine
    return better


@settings(max_examples=300, deadline=None)
@given(markets())
def test_ttc_is_individually_rational_and_no_trade_among_the_offers_beats_it(prefs):
    result = top_trading_cycles(prefs)
    agents = sorted(prefs)
    assert sorted(result.values()) == agents  # every house goes to exactly one agent
    for a in agents:  # individually rational: own house or one ranked above it
        assert position(prefs, a, result[a]) is not None
    for houses in permutations(agents):  # brute force: no reallocation dominates it
        assert not dominates(prefs, dict(zip(agents, houses, strict=True)), result)
    for coalition_size in range(2, len(agents) + 1):  # no blocking cycle left: the core
        for cycle in permutations(agents, coalition_size):
            trade = {a: cycle[(i + 1) % len(cycle)] for i, a in enumerate(cycle)}
            gains = [position(prefs, a, trade[a]) for a in cycle]
            now = [position(prefs, a, result[a]) for a in cycle]
            if None in gains:
                continue
            assert not (
                all(g <= m for g, m in zip(gains, now, strict=True))
                and any(g < m for g, m in zip(gains, now, strict=True))
            )


def test_a_two_way_swap_and_a_tutor_who_keeps_their_topic():
    prefs = {"ann": ["bob"], "bob": ["ann"], "cat": ["ann"]}
    result = top_trading_cycles(prefs)
    assert result == {"ann": "bob", "bob": "ann", "cat": "cat"}
    assert cycles_of(result) == [["ann", "bob"]]


def test_a_three_way_cycle_and_the_same_answer_whatever_the_order():
    prefs = {3: [1], 1: [2, 3], 2: [3]}
    assert top_trading_cycles(prefs) == {1: 2, 2: 3, 3: 1}
    assert top_trading_cycles(dict(reversed(list(prefs.items())))) == {1: 2, 2: 3, 3: 1}


def test_nobody_offering_and_nobody_wanting_anything():
    assert top_trading_cycles({}) == {}
    assert top_trading_cycles({1: [], 2: []}) == {1: 1, 2: 2}
