"""Classical test theory for a mock exam. Pure Python: no Django here.

facility: the share of candidates who chose the right answer.
discrimination: the point-biserial correlation between getting the item right (1/0) and the
  candidate's score on the rest of the paper (the item left out, so it does not correlate with
  itself); None when either varies not at all.
distractors: how often each option (and a blank) was chosen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import sqrt

LETTERS = ("A", "B", "C", "D", "E")
TOO_EASY = 0.9
TOO_HARD = 0.3
POOR_DISCRIMINATION = 0.2
MIN_CANDIDATES = 5  # fewer, and no item is flagged: the figures would be noise


@dataclass
class ItemStatistics:
    position: int
    key: str
    n: int
    facility: float | None
    discrimination: float | None
    counts: dict[str, int] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)


def pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=False))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / sqrt(sxx * syy)


def item_statistics(keys: list[str], responses: list[list[str | None]]) -> list[ItemStatistics]:
    """`keys[i]` is item i's answer; `responses[c][i]` candidate c's choice (None: blank)."""
    marks = [[1 if r[i] == k else 0 for i, k in enumerate(keys)] for r in responses]
    totals = [sum(m) for m in marks]
    n = len(responses)
    result = []
    for i, key in enumerate(keys):
        item = [m[i] for m in marks]
        rest = [t - x for t, x in zip(totals, item, strict=False)]
        counts = {letter: 0 for letter in LETTERS} | {"blank": 0}
        for r in responses:
            counts[r[i] or "blank"] += 1
        facility = sum(item) / n if n else None
        discrimination = pearson(item, rest)
        flags = []
        if n >= MIN_CANDIDATES:
            if facility > TOO_EASY:
                flags.append("too easy")
            elif facility < TOO_HARD:
                flags.append("too hard")
            if discrimination is None or discrimination < POOR_DISCRIMINATION:
                flags.append("poorly discriminating")
        result.append(ItemStatistics(i + 1, key, n, facility, discrimination, counts, flags))
    return result


def distribution(scores: list[int], out_of: int, bands: int = 10) -> list[tuple[str, int]]:
    """How many candidates scored in each tenth of the marks: [("0-9%", 2), ...]."""
    counts = [0] * bands
    for score in scores:
        share = score / out_of if out_of else 0
        counts[min(int(share * bands), bands - 1)] += 1
    width = 100 // bands
    labels = [
        f"{b * width}-{b * width + width - 1}%" if b < bands - 1 else f"{b * width}-100%"
        for b in range(bands)
    ]
    return list(zip(labels, counts, strict=False))
