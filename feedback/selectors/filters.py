"""The committee's filters (round, series, session, tutor, topic, year group) and the
sessions and answers they select; every dashboard, report and export reads through them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from feedback.models import Answer
from meded.models import User
from sessions_app.models import Series, TeachingSession
from tutors.models import RecruitmentRound

EARLY_YEARS = ["1", "2"]
LATER_YEARS = ["3", "4", "5", "6"]
YEAR_GROUP_CHOICES = [
    ("", "All year groups"),
    ("early", "Years 1-2"),
    ("later", "Years 3-6"),
    *[(str(n), f"Year {n}") for n in range(1, 7)],
    ("other", "Intercalated or graduated"),
]


@dataclass
class Filters:
    round: RecruitmentRound | None = None
    series: Series | None = None
    session: TeachingSession | None = None
    tutor_id: int | None = None
    topic_id: int | None = None
    year_group: str = ""
    # `round_bounds(round)` when the caller has them already (the filter form reads every round)
    bounds: tuple[datetime, datetime | None] | None = None

    def year_groups(self) -> list[str] | None:
        if not self.year_group:
            return None
        return {"early": EARLY_YEARS, "later": LATER_YEARS}.get(self.year_group, [self.year_group])


def current_round(now=None, rounds: list[RecruitmentRound] | None = None):
    """The round whose teaching is under way: the last one to open (or the first, before any).
    `rounds`: every round, latest opening first, when the caller has read them."""
    now = now or timezone.now()
    if rounds is not None:
        return next(
            (r for r in rounds if r.applications_open <= now), rounds[-1] if rounds else None
        )
    ordered = RecruitmentRound.objects.order_by("-applications_open")
    return ordered.filter(applications_open__lte=now).first() or ordered.last()


def round_bounds(rnd: RecruitmentRound, rounds: list[RecruitmentRound] | None = None):
    """A round's teaching runs from its opening until the next round opens. `rounds`: every
    round, when the caller has read them."""
    if rounds is not None:
        later = [r.applications_open for r in rounds if r.applications_open > rnd.applications_open]
        return rnd.applications_open, min(later, default=None)
    nxt = (
        RecruitmentRound.objects.filter(applications_open__gt=rnd.applications_open)
        .order_by("applications_open")
        .values_list("applications_open", flat=True)
        .first()
    )
    return rnd.applications_open, nxt


def filtered_sessions(filters: Filters) -> QuerySet[TeachingSession]:
    qs = TeachingSession.objects.filter(starts_at__lte=timezone.now()).exclude(
        status=TeachingSession.Status.CANCELLED
    )
    if filters.round is not None:
        start, end = filters.bounds or round_bounds(filters.round)
        qs = qs.filter(starts_at__gte=start)
        if end is not None:
            qs = qs.filter(starts_at__lt=end)
    if filters.series is not None:
        qs = qs.filter(series=filters.series)
    if filters.session is not None:
        qs = qs.filter(pk=filters.session.pk)
    if filters.tutor_id:
        qs = qs.filter(tutors__id=filters.tutor_id)
    if filters.topic_id:
        qs = qs.filter(topic_id=filters.topic_id)
    return (
        qs.select_related("topic", "series")
        .prefetch_related(tutor_names())
        .order_by("-starts_at", "pk")
        .distinct()
    )


def tutor_names() -> Prefetch:
    """A session's tutors with only what a dashboard prints: the figures cache then holds no
    more of a member than their name and email."""
    return Prefetch("tutors", queryset=User.objects.only(*User.DISPLAY_FIELDS))


def answers_for(filters: Filters) -> QuerySet[Answer]:
    sessions = filtered_sessions(filters).values("pk")
    qs = Answer.objects.filter(response__session__in=sessions)
    groups = filters.year_groups()
    if groups:
        qs = qs.filter(response__year_group__in=groups)
    if filters.tutor_id:
        qs = qs.filter(Q(tutor__isnull=True) | Q(tutor_id=filters.tutor_id))
    return qs
