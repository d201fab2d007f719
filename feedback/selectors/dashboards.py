"""Feedback dashboards: what a tutor may see of their own teaching, and the committee's view.

Results appear only for sessions (or filtered sets) with at least MEDED_FEEDBACK_MIN_RESPONSES
responses; tutors see free text only once the committee has approved it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from feedback.models import Answer, PeerObservation, Response, ReviewStatus
from sessions_app.models import Booking, ResourceAccess, TeachingSession

from .eligibility import ATTENDED, window
from .filters import answers_for, filtered_sessions
from .stats import ANSWER_FIELDS, QuestionStats, overall_means, questions_for, summarise

LOW_RATE = 0.25  # a session whose window closed with fewer than this share responding is flagged
LOW_OVERALL = 3.0  # overall quality (1-5) below this is flagged
FALLING_DROP = 0.5  # a tutor whose last three sessions fell by this much in total is flagged


def min_responses() -> int:
    return settings.MEDED_FEEDBACK_MIN_RESPONSES


def response_rate(responses: int, audience: int) -> float | None:
    """Responses as a percentage of attendees and recording viewers."""
    return round(100 * responses / audience, 1) if audience else None


@dataclass
class SessionResult:
    session: TeachingSession
    responses: int
    audience: int
    overall: float | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def released(self) -> bool:
        return self.responses >= min_responses()

    @property
    def rate(self) -> float | None:
        return response_rate(self.responses, self.audience)


def audience_counts(session_ids: list[int]) -> dict[int, int]:
    """Who could answer: attendees (confirmed and marked as attending) plus recording viewers,
    each member counted once per session."""
    attendees = Booking.objects.filter(session_id__in=session_ids, **ATTENDED).values_list(
        "session_id", "student_id"
    )
    viewers = ResourceAccess.objects.filter(
        resource__session_id__in=session_ids, resource__kind="recording"
    ).values_list("resource__session_id", "user_id")
    result = dict.fromkeys(session_ids, 0)
    for sid, _uid in set(attendees) | set(viewers):
        result[sid] += 1
    return result


def session_results(sessions: list[TeachingSession], now: datetime | None = None) -> list:
    """One row per session: responses, audience, response rate, overall mean (if released)."""
    now = now or timezone.now()
    ids = [s.pk for s in sessions]
    counts = dict(
        Response.objects.filter(session_id__in=ids)
        .values_list("session_id")
        .annotate(n=Count("id"))
    )
    audience = audience_counts(ids)
    rows = list(
        Answer.objects.filter(response__session_id__in=ids, question__key="overall").values(
            *ANSWER_FIELDS
        )
    )
    means = overall_means(rows, questions_for(rows))
    results = []
    for s in sessions:
        r = SessionResult(s, counts.get(s.pk, 0), audience.get(s.pk, 0))
        if r.released:
            r.overall = means.get(s.pk)
        closed = s.ends_at + window() < now
        if closed and (not r.released or (r.rate is not None and r.rate < 100 * LOW_RATE)):
            r.flags.append("Few responses")
        if r.overall is not None and r.overall < LOW_OVERALL:
            r.flags.append("Low overall score")
        results.append(r)
    return results


def falling(results: list[SessionResult]) -> bool:
    """The last three released overall means fall each time, by FALLING_DROP or more in total."""
    means = [r.overall for r in results if r.overall is not None][-3:]
    return (
        len(means) == 3 and means[0] > means[1] > means[2] and means[0] - means[2] >= FALLING_DROP
    )


def _taught(tutor) -> QuerySet[TeachingSession]:
    return (
        TeachingSession.objects.filter(tutors=tutor, starts_at__lte=timezone.now())
        .exclude(status=TeachingSession.Status.CANCELLED)
        .select_related("topic")
        .prefetch_related("tutors")
        .order_by("starts_at", "pk")
    )


def _tutor_rows(tutor, session_ids: list[int]) -> list[dict]:
    """Answers about this tutor's teaching: general items and per-tutor items about them only."""
    return list(
        Answer.objects.filter(response__session_id__in=session_ids)
        .filter(Q(tutor__isnull=True) | Q(tutor=tutor))
        .values(*ANSWER_FIELDS)
    )


def _released_text(row: dict) -> bool:
    return row["review"] == ReviewStatus.APPROVED


@dataclass
class TutorDashboard:
    sessions: list[SessionResult]
    overall: list[QuestionStats]
    trend: list[SessionResult]
    observations: list[PeerObservation]
    falling: bool

    @property
    def released_count(self) -> int:
        return sum(1 for r in self.sessions if r.released)

    @property
    def responses(self) -> int:
        return sum(r.responses for r in self.sessions if r.released)

    @property
    def audience(self) -> int:
        return sum(r.audience for r in self.sessions)

    @property
    def rate(self) -> float | None:
        return response_rate(sum(r.responses for r in self.sessions), self.audience)


def tutor_dashboard(tutor) -> TutorDashboard:
    """A tutor's own results across every session released to them (>= N responses)."""
    results = session_results(list(_taught(tutor)))
    released_ids = [r.session.pk for r in results if r.released]
    rows = _tutor_rows(tutor, released_ids)
    overall = summarise(rows, questions_for(rows), text_filter=_released_text)
    observations = list(
        PeerObservation.objects.filter(tutor=tutor)
        .select_related("session", "observer")
        .order_by("-created_at")
    )
    trend = [r for r in results if r.overall is not None]
    return TutorDashboard(results, overall, trend, observations, falling(results))


def tutor_session(tutor, session: TeachingSession) -> tuple[SessionResult, list[QuestionStats]]:
    """One session's results for one of its tutors; empty stats below the threshold."""
    result = session_results([session])[0]
    if not result.released:
        return result, []
    rows = _tutor_rows(tutor, [session.pk])
    return result, summarise(rows, questions_for(rows), text_filter=_released_text)


@dataclass
class TutorSummary:
    """One tutor's line on the committee dashboard, over the filtered sessions."""

    tutor: object
    results: list[SessionResult]
    falling: bool

    @property
    def responses(self) -> int:
        return sum(r.responses for r in self.results)

    @property
    def rate(self) -> float | None:
        return response_rate(self.responses, sum(r.audience for r in self.results))

    @property
    def overall(self) -> float | None:
        """Mean overall quality over the released sessions, weighted by their responses."""
        released = [r for r in self.results if r.overall is not None]
        n = sum(r.responses for r in released)
        return round(sum(r.overall * r.responses for r in released) / n, 2) if n else None


@dataclass
class CommitteeDashboard:
    sessions: list[SessionResult]
    stats: list[QuestionStats]
    responses: int
    tutors: list[TutorSummary]
    hidden: bool  # fewer than N responses in the filtered set: aggregates withheld

    @property
    def falling_tutors(self) -> list:
        return [t.tutor for t in self.tutors if t.falling]

    @property
    def likert(self) -> list[QuestionStats]:
        return [s for s in self.stats if s.is_likert]

    @property
    def flagged(self) -> list[SessionResult]:
        return [r for r in self.sessions if r.flags]


def committee_dashboard(filters) -> CommitteeDashboard:
    """Sessions, response rates, flags and per-question results for the filtered set."""

    sessions = list(filtered_sessions(filters))
    results = session_results(sessions)
    rows = list(answers_for(filters).values(*ANSWER_FIELDS))
    n = _response_count(filters)
    hidden = n < min_responses()
    stats = [] if hidden else summarise(rows, questions_for(rows))
    by_tutor: dict = {}
    for r in sorted(results, key=lambda r: (r.session.starts_at, r.session.pk)):
        for tutor in r.session.tutors.all():
            by_tutor.setdefault(tutor, []).append(r)
    tutors = sorted(
        (TutorSummary(t, rs, falling(rs)) for t, rs in by_tutor.items()),
        key=lambda t: (t.tutor.full_name.casefold(), t.tutor.pk),
    )
    return CommitteeDashboard(results, stats, n, tutors, hidden)


def _response_count(filters) -> int:

    qs = Response.objects.filter(session__in=filtered_sessions(filters).values("pk"))
    groups = filters.year_groups()
    if groups:
        qs = qs.filter(year_group__in=groups)
    return qs.count()
