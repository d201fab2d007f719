"""Read queries for recruitment, written once with the joins each page needs."""

from __future__ import annotations

from collections.abc import Callable
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

from tutors.models import (
    Application,
    ApplicationStatus,
    InterviewScore,
    InterviewSlot,
    RecruitmentRound,
    Review,
)


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
    mine = Review.objects.filter(application=OuterRef("pk"), reviewer=reviewer)
    qs = (
        Application.objects.filter(round=round)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("applicant", "interview_booking__slot")
        .annotate(
            my_score=Subquery(mine.values("total")[:1]),
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
    elif scored_by_me == "no":
        qs = qs.filter(my_score__isnull=True)
    if q:
        if q.upper().startswith("A-") and q[2:].isdigit():
            qs = qs.filter(pk=int(q[2:]))
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
    from tutors.services.interviews import CHANGE_DEADLINE

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

# Other apps extend the roster: each callable receives the list of RosterRow and fills ``extra``
# (e.g. the sessions app adds "sessions taught"); columns lists their (key, heading).
ROSTER_EXTENSIONS: list[Callable[[list[RosterRow]], None]] = []
ROSTER_COLUMNS: list[tuple[str, str]] = []


def register_roster_extension(columns: list[tuple[str, str]], fill: Callable) -> None:
    if fill not in ROSTER_EXTENSIONS:
        ROSTER_EXTENSIONS.append(fill)
        ROSTER_COLUMNS.extend(columns)


@dataclass
class RosterRow:
    application: Application
    extra: dict[str, Any] = field(default_factory=dict)
    rounds_as_tutor: int = 1

    @property
    def tutor(self):
        return self.application.applicant

    @property
    def round(self):
        return self.application.round

    @property
    def extra_cells(self) -> list:
        return [self.extra.get(key, "") for key, _ in ROSTER_COLUMNS]


def roster(round: RecruitmentRound | None = None) -> list[RosterRow]:
    """Accepted tutors of one round (or of every round), extended by registered apps."""
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
    for fill in ROSTER_EXTENSIONS:
        fill(rows)
    return rows


def _allocated_topics(rows: list[RosterRow]) -> None:
    """Roster column: the topics each tutor was allocated in the round's published allocation."""
    from django.apps import apps

    try:
        allocated = apps.get_model("tutors", "AllocatedTopic")
    except LookupError:
        return
    pairs = allocated.objects.filter(
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


register_roster_extension([("allocated_topics", "Allocated topics")], _allocated_topics)


def _sessions_taught(rows: list[RosterRow]) -> None:
    """Roster columns: how often and until when each tutor taught the round's topics.

    Counts published sessions that have started, scheduled from the round's offerings (feeds
    certificates); one query through the sessions' tutors table.
    """
    from django.apps import apps

    try:
        session_model = apps.get_model("sessions_app", "TeachingSession")
    except LookupError:
        return
    taught = session_model.tutors.through.objects.filter(
        user_id__in={r.application.applicant_id for r in rows},
        teachingsession__offering__round_id__in={r.application.round_id for r in rows},
        teachingsession__status="published",
        teachingsession__starts_at__lte=timezone.now(),
    ).values_list("teachingsession__offering__round_id", "user_id", "teachingsession__starts_at")
    stats: dict[tuple[int, int], tuple[int, Any]] = {}
    for round_id, tutor_id, starts_at in taught:
        n, last = stats.get((round_id, tutor_id), (0, starts_at))
        stats[(round_id, tutor_id)] = (n + 1, max(last, starts_at))
    for r in rows:
        n, last = stats.get((r.application.round_id, r.application.applicant_id), (0, None))
        r.extra["sessions_taught"] = n
        r.extra["last_taught"] = timezone.localdate(last).isoformat() if last else ""


register_roster_extension(
    [("sessions_taught", "Sessions taught"), ("last_taught", "Last taught")], _sessions_taught
)
