"""Read queries for recruitment, written once with the joins each page needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from meded import signals
from meded.parsing import parse_id
from meded.signals import collect
from tutors.models import (
    AllocatedTopic,
    Application,
    ApplicationStatus,
    InterviewScore,
    InterviewSlot,
    RecruitmentRound,
    Review,
)
from tutors.recruitment.models import CHANGE_DEADLINE


def accepted_tutors(round: RecruitmentRound) -> QuerySet:
    """Members whose application to this round was accepted (and released)."""
    return (
        get_user_model()
        .objects.filter(
            tutor_applications__round=round,
            tutor_applications__status=ApplicationStatus.ACCEPTED,
        )
        .order_by("full_name", "email")
    )


def accepted_applications(round: RecruitmentRound) -> QuerySet:
    return Application.objects.filter(
        round=round, status=ApplicationStatus.ACCEPTED
    ).select_related("applicant")


# ----- committee: rounds and the review list -------------------------------------------------

ROUND_COUNTS = {
    "submitted": ~Q(status__in=["draft", "withdrawn"]),
    "shortlisted": Q(status__in=["shortlisted", "interview_booked"]),
    "accepted": Q(status="accepted"),
    "undecided_recorded": Q(decision_released_at__isnull=True) & ~Q(decision=""),
}


def rounds_with_counts() -> QuerySet:
    return RecruitmentRound.objects.annotate(
        **{f"n_{k}": Count("applications", filter=_prefix(q)) for k, q in ROUND_COUNTS.items()}
    ).order_by("-applications_open")


def _prefix(q: Q) -> Q:
    """Re-root a Q on Application fields to the round's ``applications`` relation."""
    children = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_prefix(child))
        else:
            children.append((f"applications__{child[0]}", child[1]))
    new = Q(*children, _connector=q.connector, _negated=q.negated)
    return new


SORTS = {
    "submitted": ("submitted_at", "id"),
    "-submitted": ("-submitted_at", "-id"),
    "score": (F("visible_mean").asc(nulls_last=True), "id"),
    "-score": (F("visible_mean").desc(nulls_last=True), "id"),
    "interview": (F("interview_mean").asc(nulls_last=True), "id"),
    "-interview": (F("interview_mean").desc(nulls_last=True), "id"),
    "year": ("year_of_study", "id"),
    "-year": ("-year_of_study", "-id"),
    "status": ("status", "id"),
    "name": ("applicant__full_name", "id"),
    "-name": ("-applicant__full_name", "-id"),
}


def reviewable(round: RecruitmentRound | int, reviewer) -> QuerySet:
    """The applications a reviewer reviews, scored by them (`my_score`) or not: the round's
    submitted ones, never their own. `review_list` and the committee's counts share it."""
    mine = Review.objects.filter(application=OuterRef("pk"), reviewer=reviewer)
    return (
        Application.objects.filter(round=round)
        .exclude(status=ApplicationStatus.DRAFT)
        .exclude(applicant=reviewer)  # nobody reviews their own application
        .annotate(my_score=Subquery(mine.values("total")[:1]))
    )


def review_list(
    round: RecruitmentRound,
    reviewer,
    *,
    status: str = "",
    year: str = "",
    min_score: float | None = None,
    scored_by_me: str = "",
    sort: str = "-submitted",
    q: str = "",
    blind: bool = False,
) -> QuerySet:
    """Applications of a round for reviewers, with mean/spread of scores the reviewer may see.

    With ``hide_scores_until_scored`` others' scores count only on rows the reviewer has scored,
    so filtering or sorting by score cannot reveal them either.
    """
    qs = (
        reviewable(round, reviewer)
        .select_related("applicant", "interview_booking__slot")
        .annotate(
            n_reviews=Count("reviews", distinct=True),
            mean=Avg("reviews__total"),
            spread=Max("reviews__total") - Min("reviews__total"),
            interview_mean=Subquery(
                InterviewScore.objects.filter(application=OuterRef("pk"))
                .values("application")
                .annotate(m=Avg("total"))
                .values("m")[:1]
            ),
        )
    )
    if round.hide_scores_until_scored:
        qs = qs.annotate(
            visible_mean=Case(When(my_score__isnull=False, then=F("mean")), default=Value(None)),
            visible_spread=Case(
                When(my_score__isnull=False, then=F("spread")), default=Value(None)
            ),
        )
    else:
        qs = qs.annotate(visible_mean=F("mean"), visible_spread=F("spread"))
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(year_of_study=year)
    if min_score is not None:
        qs = qs.filter(visible_mean__gte=min_score)
    if scored_by_me == "yes":
        qs = qs.filter(my_score__isnull=False)
    elif scored_by_me == "no":  # still to review: a withdrawn application needs no score
        qs = qs.filter(my_score__isnull=True).exclude(status=ApplicationStatus.WITHDRAWN)
    if q:
        if q.upper().startswith("A-") and parse_id(q[2:]) is not None:
            qs = qs.filter(pk=parse_id(q[2:]))
        elif not blind:
            qs = qs.filter(Q(applicant__full_name__icontains=q) | Q(applicant__email__icontains=q))
    if blind and sort.lstrip("-") == "name":
        sort = "-submitted"
    return qs.order_by(*SORTS.get(sort, SORTS["-submitted"]))


def application_detail(round: RecruitmentRound, pk: int) -> Application:
    return (
        Application.objects.select_related("round", "applicant", "interview_booking__slot")
        .prefetch_related("answers__question", "reviews__reviewer", "interview_scores__interviewer")
        .get(round=round, pk=pk)
    )


def slots_with_bookings(round: RecruitmentRound) -> QuerySet:
    return (
        InterviewSlot.objects.filter(round=round)
        .annotate(n_booked=Count("bookings"))
        .prefetch_related("interviewers", "bookings__application__applicant")
    )


def bookable_slots(application: Application, *, by_committee: bool = False) -> list[InterviewSlot]:
    """Future slots of the round; an applicant sees only those they may still book (24 h)."""
    earliest = timezone.now() + (timedelta(0) if by_committee else CHANGE_DEADLINE)
    return list(
        InterviewSlot.objects.filter(round=application.round_id, starts_at__gt=earliest)
        .annotate(n_booked=Count("bookings"), places_left=F("capacity") - Count("bookings"))
        .order_by("starts_at")
    )


def member_applications(user) -> QuerySet:
    return (
        Application.objects.filter(applicant=user)
        .select_related("round", "interview_booking__slot")
        .order_by("-round__applications_open")
    )


# ----- roster --------------------------------------------------------------------------------


@dataclass
class RosterRow:
    application: Application
    extra: dict[str, Any] = field(default_factory=dict)
    rounds_as_tutor: int = 1
    extra_cells: list = field(default_factory=list)  # the values of Roster.columns, in order

    @property
    def tutor(self):
        return self.application.applicant

    @property
    def round(self):
        return self.application.round


@dataclass
class Roster:
    """Accepted tutors and the extra columns (key, heading) filled in for them."""

    rows: list[RosterRow]
    columns: list[tuple[str, str]]


ALLOCATED_TOPICS = [("allocated_topics", "Allocated topics")]


def roster(round: RecruitmentRound | None = None) -> Roster:
    """Accepted tutors of one round (or of every round), with the allocated topics and the
    columns apps above tutors add through `meded.signals.roster_columns` (sessions taught)."""
    qs = Application.objects.filter(status=ApplicationStatus.ACCEPTED).select_related(
        "applicant", "round"
    )
    if round is not None:
        qs = qs.filter(round=round)
    rows = [
        RosterRow(a) for a in qs.order_by("-round__applications_open", "applicant__full_name", "pk")
    ]
    counts = dict(
        Application.objects.filter(
            status=ApplicationStatus.ACCEPTED,
            applicant_id__in={r.application.applicant_id for r in rows},
        )
        .values_list("applicant_id")
        .annotate(n=Count("pk"))
    )
    for r in rows:
        r.rounds_as_tutor = counts.get(r.application.applicant_id, 1)
    _allocated_topics(rows)
    columns = ALLOCATED_TOPICS + [
        column for answer in collect(signals.roster_columns, rows=rows) for column in answer
    ]
    for r in rows:
        r.extra_cells = [r.extra.get(key, "") for key, _ in columns]
    return Roster(rows, columns)


def _allocated_topics(rows: list[RosterRow]) -> None:
    """Roster column: the topics each tutor was allocated in the round's published allocation."""
    pairs = AllocatedTopic.objects.filter(
        run__is_published=True,
        run__round_id__in={r.application.round_id for r in rows},
        tutor_id__in={r.application.applicant_id for r in rows},
    ).values_list("run__round_id", "tutor_id", "offering__topic__code")
    topics: dict[tuple[int, int], list[str]] = {}
    for round_id, tutor_id, code in pairs:
        topics.setdefault((round_id, tutor_id), []).append(code)
    for r in rows:
        key = (r.application.round_id, r.application.applicant_id)
        r.extra["allocated_topics"] = " ".join(sorted(topics.get(key, [])))


ROSTER_HEADER = [
    "name",
    "email",
    "year_of_study",
    "round",
    "term",
    "accepted_at",
    "rounds_as_tutor",
]


def roster_table(roster: Roster) -> tuple[list[str], list[list]]:
    """The roster as a spreadsheet: header and rows (for the one exporter)."""
    header = [*ROSTER_HEADER, *[key for key, _ in roster.columns]]
    rows = []
    for row in roster.rows:
        a = row.application
        rows.append(
            [
                a.applicant.full_name,
                a.applicant.email,
                a.year_of_study,
                a.round.name,
                a.round.term,
                a.decision_released_at.date().isoformat() if a.decision_released_at else "",
                row.rounds_as_tutor,
                *[str(row.extra.get(key, "")) for key, _ in roster.columns],
            ]
        )
    return header, rows


def applications_table(round: RecruitmentRound, applications) -> tuple[list[str], list[list]]:
    """The filtered review list as a spreadsheet (names only when the round is not blind)."""
    people = [] if round.blind_review else ["name", "email"]
    header = [
        "reference",
        *people,
        "year",
        "status",
        "mean",
        "range",
        "reviews",
        "my_score",
        "interview",
        "decision",
        "released",
    ]
    rows = []
    for a in applications:
        who = [] if round.blind_review else [a.applicant.full_name, a.applicant.email]
        rows.append(
            [
                a.reference,
                *who,
                a.year_of_study,
                a.status,
                _num(a.visible_mean),
                _num(a.visible_spread),
                a.n_reviews,
                _num(a.my_score),
                _num(a.interview_mean),
                a.decision,
                "yes" if a.decision_released_at else "no",
            ]
        )
    return header, rows


def _num(value) -> str:
    return "" if value is None else f"{value:.2f}"
