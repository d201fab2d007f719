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

from .compare import Comparison, compare, serial_dictatorship
from .explain import (
    FORBIDDEN,
    INELIGIBLE,
    LOCKED,
    NO_PLACES,
    OBJECTIVE_TRADE,
    OTHER,
    RANKED_HIGHER,
    TIE,
    Explanation,
    explain,
    explain_all,
)
from .inputs import (
    FILL_UNRANKED_DESCRIPTION,
    GENEROUS,
    GREEDY,
    MINSUM,
    OBJECTIVES,
    SPREAD_DESCRIPTION,
    AllocationError,
    AllocationInputs,
    Objective,
    Offering,
    Tutor,
    ineligible_pairs,
)
from .results import AllocationResult, Pair, Statistics, compute_statistics
from .solver import allocate

__all__ = [
    "FILL_UNRANKED_DESCRIPTION",
    "FORBIDDEN",
    "GENEROUS",
    "GREEDY",
    "INELIGIBLE",
    "LOCKED",
    "MINSUM",
    "NO_PLACES",
    "OBJECTIVES",
    "OBJECTIVE_TRADE",
    "OTHER",
    "RANKED_HIGHER",
    "SPREAD_DESCRIPTION",
    "TIE",
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
