"""What feedback may be shown, and when: the one gate every page, export and certificate uses.

The guarantee: no tutor or committee member can learn any single student's answers, or whether a
particular student answered, from any page, export, email, or the difference between two of them.
k = MEDED_FEEDBACK_MIN_RESPONSES (default 3) is the smallest group anything is shown for.

The rules, and why they compose (so that subtracting one shown figure from another never reveals
a hidden one):

1. Release. A session's results, its response count included, are released once its feedback
   window has closed (feedback.selectors.eligibility: live window, extended only by a recording
   that became available before it closed) AND it has at least k responses. Before that nothing
   is shown, not even a count. We release at close rather than in steps of k because after the
   close the figures never change again: there is no "before and after one more response" to
   compare, and no step size to game; late recordings cannot reopen a closed window.
2. Sets of sessions (a tutor's totals, the committee's filters, certificates) pool released
   sessions only, so any difference of two pooled figures is itself a pool of released sessions,
   each of at least k respondents.
3. Breakdowns (year group) are decided per session block: a session joins a breakdown level (each
   year, or bands 1-2 / 3-6 / other) only if every cell of that level in the session has 0 or at
   least k respondents AND so does its complement within the session. Every shown cell, sum or
   difference of cells is then made of blocks of 0 or >= k. A session that fails leaves the whole
   dimension, never one row marked "withheld" (which would name the lone student by elimination).
4. A hidden figure prints no n: `count_label` says "fewer than k".
5. No per-response row carries year group, mode or date. Free text leaves only after committee
   review, only from released sessions, in shuffled order, with no per-row attribute besides the
   session (see feedback.selectors.reports.comment_rows).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from feedback.models import Response
from feedback.selectors.eligibility import closes_at_map, recording_extends, window
from meded.prepared import PreparedForIds

EARLY_YEARS = ("1", "2")
LATER_YEARS = ("3", "4", "5", "6")

# A breakdown level maps a respondent's year group to the cell they fall in.
LEVELS: dict[str, dict[str, str]] = {
    "year": {**{y: y for y in EARLY_YEARS + LATER_YEARS}, "other": "other"},
    "band": {
        **dict.fromkeys(EARLY_YEARS, "early"),
        **dict.fromkeys(LATER_YEARS, "later"),
        "other": "other",
    },
}


def k() -> int:
    return settings.MEDED_FEEDBACK_MIN_RESPONSES


def count_label(n: int) -> str:
    """A count as it may be printed: exact from k on, otherwise only that it is below k."""
    return str(n) if n >= k() else f"fewer than {k()}"


def cells_safe(counts: Mapping[str, int], total: int) -> bool:
    """Every cell, and its complement within the parent group of `total`, is 0 or at least k."""
    limit = k()
    return not any(0 < n < limit or 0 < total - n < limit for n in counts.values())


def level_of(group: Iterable[str]) -> str:
    """The finest level a filter's year groups need: a single year needs "year", a band "band"."""
    group = set(group)
    for name in ("band", "year"):
        if any({y for y, c in LEVELS[name].items() if c == cell} == group for cell in _cells(name)):
            return name
    return "year"


def _cells(level: str) -> set[str]:
    return set(LEVELS[level].values())


def safe_sessions(blocks: Mapping[int, Mapping[str, int]], level: str) -> set[int]:
    """Sessions whose year-group cells at `level` may be shown (rule 3); pure, for any cohort."""
    mapping = LEVELS[level]
    result = set()
    for sid, by_year in blocks.items():
        cells: Counter[str] = Counter()
        for year, n in by_year.items():
            cells[mapping.get(year, "other")] += n
        if cells_safe(cells, sum(cells.values())):
            result.add(sid)
    return result


@dataclass(frozen=True)
class Release:
    """One session's disclosure state (rule 1)."""

    session_id: int
    responses: int
    closes_at: datetime
    closed: bool

    @property
    def released(self) -> bool:
        return self.closed and self.responses >= k()

    @property
    def shown_responses(self) -> int | None:
        """The response count, only where it may be printed."""
        return self.responses if self.released else None


def releases(sessions, now: datetime | None = None) -> dict[int, Release]:
    """Release state of each session, in two queries whatever the number of sessions."""
    now = now or timezone.now()
    sessions = list(sessions)
    counts = dict(_RESPONSES.rows(ids=[s.pk for s in sessions]))
    closes = closes_at_map(sessions)
    return {
        s.pk: Release(s.pk, counts.get(s.pk, 0), closes[s.pk], closes[s.pk] < now) for s in sessions
    }


# Every cold dashboard and portfolio counts them: compiled once per process and size.
_RESPONSES = PreparedForIds(
    lambda ids: (
        Response.objects.filter(session_id__in=ids)
        .values_list("session_id")
        .annotate(n=Count("id"))
    )
)


def released_ids(sessions, now: datetime | None = None) -> list[int]:
    return [sid for sid, r in releases(sessions, now).items() if r.released]


def released_sessions(sessions: QuerySet, now: datetime | None = None) -> QuerySet:
    """Rule 1 in SQL, for sets too large to load: the sessions whose window has closed (live
    window, and no recording that extends it still open) with at least k responses."""
    since = (now or timezone.now()) - window()
    responses = (
        Response.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        sessions.filter(ends_at__lt=since)
        .exclude(recording_extends(since))
        .alias(released_responses=Coalesce(Subquery(responses), 0))
        .filter(released_responses__gte=k())
    )


def year_blocks(session_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Respondents per (session, year group)."""
    blocks: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Response.objects.filter(session_id__in=list(session_ids))
        .values_list("session_id", "year_group")
        .annotate(n=Count("id"))
    )
    for sid, year, n in rows:
        blocks[sid][year] = n
    return dict(blocks)


def breakdown_sessions(session_ids: Iterable[int], level: str) -> set[int]:
    """Released sessions that may contribute to a year-group breakdown at `level` (rule 3)."""
    return safe_sessions(year_blocks(session_ids), level)
