"""The committee's view of a round: its timeline of stages, and what needs doing now.

`round_timeline` lays a round out as its stages (applications -> reviews -> interviews ->
decisions -> offerings -> rankings -> allocation -> sessions), each with its state, counts,
dates and the page that handles it. `tasks` answers the core's `committee_tasks` signal.
Sessions live above this floor: they are counted through the reverse relation of Offering and
linked by URL name, never imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from meded.committee import CommitteeTask
from meded.prepared import Prepared
from meded.roles import is_committee
from tutors.models import (
    AllocationRun,
    Application,
    ApplicationStatus,
    InterviewBooking,
    Ranking,
    RecruitmentRound,
    RoundState,
    SwapOffer,
)
from tutors.recruitment import selectors as recruitment
from tutors.recruitment.services.decisions import UNRELEASED

S = RoundState
# Rounds the committee is working on (a draft is still being set up; closed is history).
ACTIVE = (S.APPLICATIONS_OPEN, S.INTERVIEWING, S.RANKING, S.ALLOCATION, S.PUBLISHED)
ORDER = list(S.values)


@dataclass
class Stage:
    key: str
    name: str
    state: str  # "done", "now" or "later"
    summary: str  # counts, in words
    url: str
    dates: str = ""
    todo: str = ""  # what is waiting here, in words ("" when nothing)

    @property
    def state_label(self) -> str:
        return {"done": "Done", "now": "In progress", "later": "Not started"}[self.state]


def _when(start: datetime | None, end: datetime | None) -> str:
    fmt = "%-d %b %Y"
    if start and end:
        s, e = timezone.localtime(start), timezone.localtime(end)
        return f"{s:%-d %b} to {e:{fmt}}"
    return ""


def _phase(round: RecruitmentRound, starts: str, ends: str) -> str:
    """Done once the round is past `ends`, now while within [starts, ends], else later."""
    at, a, b = ORDER.index(round.state), ORDER.index(starts), ORDER.index(ends)
    if at > b:
        return "done"
    return "now" if at >= a else "later"


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def review_progress(round: RecruitmentRound, reviewer) -> tuple[int, int]:
    """(reviewed by this reviewer, to review): the review list's own set (never the reviewer's
    own application, nor a withdrawn one), so "12 of 140 reviewed" agrees with the list and
    its "not scored by me" filter."""
    scores = [score for (score,) in _MY_SCORES.rows(round.pk, reviewer.pk)]
    return sum(score is not None for score in scores), len(scores)


# What the committee's home and a round's page ask on every visit after a write, compiled once
# per process (meded/prepared.py); counts per round are taken for every round, the few that
# are not active are never looked up.
_MY_SCORES = Prepared(
    lambda round_id, reviewer_id: (
        recruitment.reviewable(round_id, reviewer_id)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .order_by()
        .values_list("my_score")
    ),
    2,
)
_ACTIVE_ROUNDS = Prepared(lambda: RecruitmentRound.objects.filter(state__in=ACTIVE), 0)
_INTERVIEWS_ON = Prepared(
    lambda day: _per_round(
        InterviewBooking.objects.filter(slot__starts_at__date=day), "application__round"
    ),
    1,
)
_UNDECIDED = Prepared(lambda: _per_round(Application.objects.filter(UNRELEASED), "round"), 0)
_OPEN_SWAPS = Prepared(
    lambda: _per_round(
        SwapOffer.objects.filter(pair__run__is_published=True, status="open"), "pair__run__round"
    ),
    0,
)
_PUBLISHED = Prepared(
    lambda: AllocationRun.objects.filter(is_published=True).order_by().values_list("round"), 0
)
_NOT_RANKED = Prepared(
    lambda round_id: (
        recruitment.accepted_tutors(round_id)
        .exclude(topic_rankings__round=round_id)
        .order_by()
        .values("pk")
    ),
    1,
)


# A round's figures (its page, after any write): each read compiled once per process.
_ROUND_COUNTS = {
    "submitted": Count("id", filter=~Q(status=ApplicationStatus.WITHDRAWN)),
    "reviewed": Count("id", filter=Q(reviews__isnull=False), distinct=True),
    "interviewing": Count("id", filter=Q(status__in=["shortlisted", "interview_booked"])),
    "booked": Count("id", filter=Q(interview_booking__isnull=False)),
    "scored": Count("id", filter=Q(interview_scores__isnull=False), distinct=True),
    "accepted": Count("id", filter=Q(status=ApplicationStatus.ACCEPTED)),
    "decided": Count("id", filter=~Q(decision="")),
}
_APPLICATIONS = Prepared(
    lambda round_id: (
        Application.objects.filter(round=round_id)
        .exclude(status=ApplicationStatus.DRAFT)
        .order_by()
        .values("round")
        .annotate(**_ROUND_COUNTS)
        .values_list(*_ROUND_COUNTS)
    ),
    1,
)
_UNRELEASED = Prepared(lambda round_id: Application.objects.filter(UNRELEASED, round=round_id), 1)
_OFFERINGS = Prepared(
    lambda round_id: (
        RecruitmentRound.objects.filter(pk=round_id)
        .values("pk")
        .annotate(
            n=Count("offerings", distinct=True),
            sessions=Count("offerings__teaching_sessions", distinct=True),
        )
        .values_list("n", "sessions")
    ),
    1,
)
_RANKED = Prepared(
    lambda round_id: Ranking.objects.filter(round=round_id).order_by().values("tutor").distinct(),
    1,
)
_SLOTS = Prepared(  # teaching slots live above this floor: counted through the reverse relation
    lambda round_id: (
        RecruitmentRound.objects.filter(pk=round_id)
        .values("pk")
        .annotate(
            n=Count("teaching_slots"),
            picked=Count("teaching_slots", filter=Q(teaching_slots__session__isnull=False)),
        )
        .values_list("n", "picked")
    ),
    1,
)
_ROUND_SWAPS = Prepared(
    lambda round_id: SwapOffer.objects.filter(
        pair__run__round=round_id, pair__run__is_published=True, status=SwapOffer.Status.OPEN
    ),
    1,
)
_RUNS = Prepared(  # newest first, as AllocationRun orders them
    lambda round_id: AllocationRun.objects.filter(round=round_id).values_list(
        "is_published", "published_at"
    ),
    1,
)


def round_timeline(round: RecruitmentRound, user) -> list[Stage]:
    found = _APPLICATIONS.rows(round.pk)
    counts = dict(zip(_ROUND_COUNTS, found[0] if found else [0] * len(_ROUND_COUNTS), strict=True))
    n_unreleased = _UNRELEASED.count(round.pk)
    offerings = dict(zip(("n", "sessions"), _OFFERINGS.rows(round.pk)[0], strict=True))
    ranked = _RANKED.count(round.pk)
    slots = dict(zip(("n", "picked"), _SLOTS.rows(round.pk)[0], strict=True))
    open_swaps = _ROUND_SWAPS.count(round.pk)
    runs = _RUNS.converted_rows(round.pk)
    n_runs = len(runs)
    published_at = next((at for is_published, at in runs if is_published), None)
    published = any(is_published for is_published, _ in runs)
    mine, to_review = review_progress(round, user)
    apps_url = reverse("tutors_committee_applications", args=[round.pk])
    return [
        Stage(
            "applications",
            "Applications",
            _phase(round, S.APPLICATIONS_OPEN, S.APPLICATIONS_OPEN),
            f"{_plural(counts['submitted'], 'application')} submitted",
            apps_url,
            _when(round.applications_open, round.applications_close),
        ),
        Stage(
            "reviews",
            "Reviews",
            _phase(round, S.APPLICATIONS_OPEN, S.INTERVIEWING),
            f"{counts['reviewed']} of {counts['submitted']} reviewed by someone; "
            f"you have reviewed {mine} of {to_review}",
            apps_url + "?scored_by_me=no",
            todo=_plural(to_review - mine, "application") + " you have not reviewed"
            if to_review - mine
            else "",
        ),
        Stage(
            "interviews",
            "Interviews",
            _phase(round, S.INTERVIEWING, S.INTERVIEWING),
            f"{counts['interviewing']} invited, {counts['booked']} booked, "
            f"{counts['scored']} scored",
            reverse("tutors_committee_slots", args=[round.pk]),
            _when(round.interviews_open, round.interviews_close),
        ),
        Stage(
            "decisions",
            "Decisions",
            "done"
            if counts["decided"] and not n_unreleased
            else _phase(round, S.INTERVIEWING, S.INTERVIEWING),
            f"{counts['decided']} recorded, {counts['accepted']} accepted tutors",
            apps_url + "#release-h",
            todo=f"{_plural(n_unreleased, 'decision')} not released" if n_unreleased else "",
        ),
        Stage(
            "offerings",
            "Offerings",
            "done"
            if offerings["n"] and ORDER.index(round.state) >= ORDER.index(S.RANKING)
            else ("now" if offerings["n"] else "later"),
            f"{_plural(offerings['n'], 'topic')} offered",
            reverse("tutors_offerings", args=[round.pk]),
        ),
        Stage(
            "rankings",
            "Rankings",
            _phase(round, S.RANKING, S.RANKING),
            f"{ranked} of {counts['accepted']} tutors have ranked",
            reverse("tutors_round_rankings", args=[round.pk]),
            _when(round.ranking_opens, round.ranking_closes),
            todo=f"{_plural(counts['accepted'] - ranked, 'tutor')} not ranked"
            if round.state == S.RANKING and counts["accepted"] > ranked
            else "",
        ),
        Stage(
            "allocation",
            "Allocation",
            "done" if published else _phase(round, S.ALLOCATION, S.ALLOCATION),
            (
                f"published {timezone.localtime(published_at):%-d %b %Y}"
                if published and published_at
                else f"{_plural(n_runs, 'run')}, not published"
            ),
            reverse("tutors_allocation", args=[round.pk]),
        ),
        Stage(
            "dates",
            "Teaching dates",
            "later" if not published else ("now" if slots["n"] else "later"),
            f"{slots['picked']} of {_plural(slots['n'], 'teaching slot')} picked",
            reverse("sessions_app:committee_teaching_slots", args=[round.pk]),
            todo="release teaching slots so tutors can pick their dates"
            if published and not slots["n"]
            else "",
        ),
        Stage(
            "swaps",
            "Topic swaps",
            "now" if open_swaps else "later",
            f"{_plural(open_swaps, 'open offer')} to swap",
            reverse("tutors_round_swaps", args=[round.pk]),
            todo=f"{_plural(open_swaps, 'offer')} to review" if open_swaps else "",
        ),
        Stage(
            "sessions",
            "Sessions",
            "now" if offerings["sessions"] else ("later" if not published else "now"),
            f"{_plural(offerings['sessions'], 'session')} scheduled from the allocation",
            reverse("sessions_app:committee_from_allocation") + f"?round={round.pk}",
            todo="the published allocation has no sessions yet"
            if published and not offerings["sessions"]
            else "",
        ),
    ]


def _per_round(qs, field: str):
    """Rows of `qs` counted per round (`field` names the round), in one grouped query."""
    return qs.order_by().values_list(field).annotate(n=Count("id"))


def tasks(request=None, **kwargs) -> list[CommitteeTask]:
    """A `committee_tasks` receiver: per active round, what waits for the committee; each count
    taken for every active round at once, so the cost follows the kinds of task, not the rounds."""
    user = request.user
    if not is_committee(user):
        return []
    found: list[CommitteeTask] = []
    now = timezone.now()
    today = timezone.localdate()
    rounds = _ACTIVE_ROUNDS.instances()
    interviews = dict(_INTERVIEWS_ON.rows(today))
    undecided = dict(_UNDECIDED.rows())
    swaps = dict(_OPEN_SWAPS.rows())
    published = {round_id for (round_id,) in _PUBLISHED.rows()}
    for round in rounds:
        area = f"Recruitment: {round.name}"
        apps_url = reverse("tutors_committee_applications", args=[round.pk])
        if round.state in (S.APPLICATIONS_OPEN, S.INTERVIEWING):
            mine, total = review_progress(round, user)
            found.append(
                CommitteeTask(
                    area,
                    "applications you have not reviewed",
                    total - mine,
                    apps_url + "?scored_by_me=no",
                    f"{mine} of {total} reviewed",
                )
            )
        found.append(
            CommitteeTask(
                area,
                "interviews today",
                interviews.get(round.pk, 0),
                reverse("tutors_committee_slots", args=[round.pk]),
                urgent=True,
            )
        )
        found.append(
            CommitteeTask(
                area,
                "decisions recorded but not released",
                undecided.get(round.pk, 0),
                apps_url + "#release-h",
            )
        )
        found.append(
            CommitteeTask(
                area,
                "topic swap offers",
                swaps.get(round.pk, 0),
                reverse("tutors_round_swaps", args=[round.pk]),
            )
        )
        if round.state == S.RANKING:
            missing = _NOT_RANKED.count(round.pk)
            closes = timezone.localtime(round.ranking_closes)
            found.append(
                CommitteeTask(
                    area,
                    "tutors have not ranked their topics",
                    missing,
                    reverse("tutors_round_rankings", args=[round.pk]),
                    f"ranking closes {closes:%a %-d %b %H:%M}",
                    urgent=round.ranking_closes - now < timedelta(days=2),
                )
            )
        if (
            round.state in (S.RANKING, S.ALLOCATION)
            and (round.state == S.ALLOCATION or round.ranking_closes <= now)
            and round.pk not in published
        ):
            found.append(
                CommitteeTask(
                    area,
                    "allocation not yet published",
                    1,
                    reverse("tutors_allocation", args=[round.pk]),
                    "ranking has closed",
                )
            )
    return found
