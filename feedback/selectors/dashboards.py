"""Feedback dashboards: what a tutor may see of their own teaching, and the committee's view.

What may be shown is decided by feedback.disclosure: a session's results (its count included)
once its feedback window has closed with at least k responses; sets of sessions pool released
sessions only; year-group filters use only sessions whose year cells are all 0 or >= k. Tutors see
free text only once the committee has approved it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from feedback import disclosure
from feedback.models import Answer, PeerObservation, Response, ReviewStatus
from meded.models import User
from meded.prepared import Prepared, PreparedForIds
from meded.remember import remember
from sessions_app.models import TeachingSession

from .aggregates import (
    audience_counts,
    choice_counts,
    listed_texts,
    numeric_counts,
    overall_means,
    question_stats,
    stats_from,
    text_counts,
)
from .filters import answers_for, filtered_sessions
from .stats import ANSWER_FIELDS, QuestionStats

LOW_RATE = 0.25  # a session whose window closed with fewer than this share responding is flagged
LOW_OVERALL = 3.0  # overall quality (1-5) below this is flagged
FALLING_DROP = 0.5  # a tutor whose last three sessions fell by this much in total is flagged


def response_rate(responses: int, audience: int) -> float | None:
    """Responses as a percentage of attendees and recording viewers."""
    return round(100 * responses / audience, 1) if audience else None


@dataclass
class SessionResult:
    """One session as it may be shown: before release, no count, no rate, no mean."""

    session: TeachingSession
    release: disclosure.Release
    audience: int | None = None  # None: not counted (yet); see session_results and with_audience
    overall: float | None = None

    @property
    def released(self) -> bool:
        return self.release.released

    @property
    def closed(self) -> bool:
        return self.release.closed

    @property
    def closes_at(self) -> datetime:
        return self.release.closes_at

    @property
    def responses(self) -> int:
        """The count where it may be shown, else 0 (templates print `count_label` instead)."""
        return self.release.responses if self.released else 0

    @property
    def count_label(self) -> str:
        return disclosure.count_label(self.responses)

    @property
    def rate(self) -> float | None:
        if not self.released or self.audience is None:
            return None
        return response_rate(self.responses, self.audience)

    @property
    def flags(self) -> list[str]:
        """Derived, not stored: they follow an audience put in after the rest was remembered."""
        flags = []
        if self.closed and (
            not self.released or (self.rate is not None and self.rate < 100 * LOW_RATE)
        ):
            flags.append("Few responses")
        if self.overall is not None and self.overall < LOW_OVERALL:
            flags.append("Low overall score")
        return flags


def session_results(
    sessions: list[TeachingSession], now: datetime | None = None, *, rates: bool = True
) -> list[SessionResult]:
    """One row per session: responses, audience, response rate, overall mean (if released);
    each figure counted by the database, so the cost follows the sessions, not the answers.

    `rates=False` reads no booking: the audience is left out, for a value remembered apart from
    it (bookings are written all day at the start of term, and any of them would throw such a
    value away) and given its audience afresh per request (`with_audience`), or for pages that
    print no audience, rate or "Few responses" flag of a released session (the portfolio)."""
    now = now or timezone.now()
    state = disclosure.releases(sessions, now)
    means = overall_means([sid for sid, r in state.items() if r.released])
    results = []
    for s in sessions:
        r = SessionResult(s, state[s.pk])
        if r.released:
            r.overall = means.get(s.pk)
        results.append(r)
    if rates:
        with_audience(results, audience_counts([s.pk for s in sessions]))
    return results


def with_audience(results: list[SessionResult], audience: Mapping[int, int]) -> None:
    """Put each session's audience (`audience_counts`, taken this request) into its result: its
    rate and flags, and every pooled rate built on the results, follow. A session the counts
    lack (it joined the results since they were taken) is counted here."""
    missing = [r.session.pk for r in results if r.session.pk not in audience]
    if missing:
        audience = {**audience, **audience_counts(missing)}
    for r in results:
        r.audience = audience[r.session.pk]


def next_change(results: list[SessionResult], now: datetime | None = None) -> datetime | None:
    """When these figures could change with time alone: the next feedback window to close, or the
    next session to start (it then joins the filters). Cached figures live until then."""
    now = now or timezone.now()
    moments = [r.closes_at for r in results if r.closes_at > now]
    upcoming = _NEXT_START.instances(now)
    if upcoming:
        moments.append(upcoming[0].starts_at)
    return min(moments, default=None)


# Asked by every cold dashboard: compiled once per process.
_NEXT_START = Prepared(
    lambda now: (
        TeachingSession.objects.filter(starts_at__gt=now)
        .exclude(status=TeachingSession.Status.CANCELLED)
        .order_by("starts_at")
        .only("id", "starts_at")[:1]
    ),
    1,
)


def falling(results: list[SessionResult]) -> bool:
    """The last three released overall means fall each time, by FALLING_DROP or more in total."""
    means = [r.overall for r in results if r.overall is not None][-3:]
    return (
        len(means) == 3 and means[0] > means[1] > means[2] and means[0] - means[2] >= FALLING_DROP
    )


def taught_instances(tutor) -> list[TeachingSession]:
    """The sessions a tutor has taught (cancelled ones do not count), oldest first: compiled
    once per process (every cold dashboard and portfolio asks). Neither topic nor tutors are
    read with them: the dashboard prints each one's title and date only."""
    return _TAUGHT.instances(tutor.pk, timezone.now())


_TAUGHT = Prepared(
    lambda tutor_pk, now: (
        TeachingSession.objects.filter(tutors=tutor_pk, starts_at__lte=now)
        .exclude(status=TeachingSession.Status.CANCELLED)
        .order_by("starts_at", "pk")
    ),
    2,
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


def _tutor_answers(tutor, session_ids: list[int]) -> QuerySet[Answer]:
    return Answer.objects.filter(response__session_id__in=session_ids).filter(
        Q(tutor__isnull=True) | Q(tutor=tutor)
    )


APPROVED_TEXT = Q(review=ReviewStatus.APPROVED)


def _tutor_stats(tutor, session_ids: list[int]) -> list[QuestionStats]:
    """`question_stats(_tutor_answers(tutor, session_ids), texts=APPROVED_TEXT)`: every cold
    dashboard asks, so its counts are compiled once per process and size (the choices, a JSON
    column, through the ORM, which converts them)."""
    return stats_from(
        _TUTOR_NUMERIC.rows(tutor.pk, ids=session_ids),
        [(q, _json(v), n) for q, v, n in _TUTOR_CHOICES.rows(tutor.pk, ids=session_ids)],
        _TUTOR_TEXT_COUNTS.rows(tutor.pk, ids=session_ids),
        lambda: _TUTOR_TEXTS.rows(tutor.pk, ids=session_ids),
    )


def _tutor_read(counts):
    return PreparedForIds(lambda tutor_pk, ids: counts(_tutor_answers(tutor_pk, ids).order_by()), 1)


def tutor_numeric_stats(tutor, session_ids: list[int]) -> list[QuestionStats]:
    """The Likert and rating items of `_tutor_stats` alone (no choices, no texts): the
    portfolio's feedback summary, from the same prepared counts."""
    numeric = _TUTOR_NUMERIC.rows(tutor.pk, ids=session_ids)
    return [s for s in stats_from(numeric, [], [], list) if s.is_numeric]


_TUTOR_NUMERIC = _tutor_read(numeric_counts)
_TUTOR_CHOICES = _tutor_read(choice_counts)
_TUTOR_TEXT_COUNTS = _tutor_read(text_counts)
_TUTOR_TEXTS = _tutor_read(lambda answers: listed_texts(answers.filter(APPROVED_TEXT)))


def _json(value):
    """A JSON column's value as the ORM gives it (JSONField.from_db_value): the rows of a
    prepared read come as the database sends them, text on SQLite and on psycopg."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def tutor_observations(tutor) -> list[PeerObservation]:
    """The observations of a tutor's teaching, newest first, each with the session's title and
    date and the observer's name and email (all the page shows of them): one prepared read."""
    found = []
    for row in _OBSERVATIONS.converted_rows(tutor.pk):
        (pk, session_id, observer_id, scores, strengths, suggestions, created_at) = row[:7]
        title, starts_at, full_name, email = row[7:]
        o = PeerObservation(
            id=pk,
            session_id=session_id,
            tutor_id=tutor.pk,
            observer_id=observer_id,
            scores=scores,
            strengths=strengths,
            suggestions=suggestions,
            created_at=created_at,
        )
        o.session = TeachingSession(id=session_id, title=title, starts_at=starts_at)
        o.observer = User(id=observer_id, full_name=full_name, email=email)
        found.append(o)
    return found


_OBSERVATIONS = Prepared(
    lambda tutor_pk: (
        PeerObservation.objects.filter(tutor=tutor_pk)
        .order_by("-created_at")
        .values_list(
            "id",
            "session_id",
            "observer_id",
            "scores",
            "strengths",
            "suggestions",
            "created_at",
            "session__title",
            "session__starts_at",
            "observer__full_name",
            "observer__email",
        )
    ),
    1,
)


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
        return sum(r.audience for r in self.sessions if r.released)

    @property
    def rate(self) -> float | None:
        """Over released sessions only: a pooled rate must not subtract to a hidden count."""
        released = [r for r in self.sessions if r.released]
        return response_rate(sum(r.responses for r in released), sum(r.audience for r in released))


def tutor_dashboard(tutor, *, rates: bool = True) -> TutorDashboard:
    """A tutor's own results across every session released to them (closed, >= k responses);
    `rates=False`: without the audience (see `session_results`)."""
    results = session_results(taught_instances(tutor), rates=rates)
    released_ids = [r.session.pk for r in results if r.released]
    overall = _tutor_stats(tutor, released_ids)
    observations = tutor_observations(tutor)
    trend = [r for r in results if r.overall is not None]
    return TutorDashboard(results, overall, trend, observations, falling(results))


def tutor_session(tutor, session: TeachingSession) -> tuple[SessionResult, list[QuestionStats]]:
    """One session's results for one of its tutors; empty stats below the threshold."""
    result = session_results([session])[0]
    if not result.released:
        return result, []
    return result, _tutor_stats(tutor, [session.pk])


@dataclass
class TutorSummary:
    """One tutor's line on the committee dashboard, over the filtered sessions."""

    tutor: object
    results: list[SessionResult]
    falling: bool

    @property
    def responses(self) -> int:
        return sum(r.responses for r in self.results if r.released)

    @property
    def rate(self) -> float | None:
        released = [r for r in self.results if r.released]
        return response_rate(self.responses, sum(r.audience for r in released))

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
    hidden: bool  # no released responses in the filtered set: aggregates withheld
    excluded: int = 0  # released sessions left out of a year-group filter (rule 3)

    @property
    def falling_tutors(self) -> list:
        return [t.tutor for t in self.tutors if t.falling]

    @property
    def likert(self) -> list[QuestionStats]:
        return [s for s in self.stats if s.is_likert]

    @property
    def flagged(self) -> list[SessionResult]:
        return [r for r in self.sessions if r.flags]

    @property
    def flag_count(self) -> int:
        return len(self.flagged) + len(self.falling_tutors)

    @property
    def released_count(self) -> int:
        return sum(1 for r in self.sessions if r.released)

    @property
    def rate(self) -> float | None:
        """Over released sessions only, like the tutor's: a pooled figure of released blocks."""
        released = [r for r in self.sessions if r.released]
        return response_rate(sum(r.responses for r in released), sum(r.audience for r in released))

    @property
    def overall(self) -> QuestionStats | None:
        """The overall-quality item (mean and spread) for the headline, if shown."""
        return next((s for s in self.stats if s.key == "overall"), None)


def committee_dashboard(filters, *, rates: bool = True) -> CommitteeDashboard:
    """Sessions, response rates, flags and per-question results for the filtered set;
    `rates=False`: without the audience (see `session_results`)."""

    sessions = list(filtered_sessions(filters))
    results = session_results(sessions, rates=rates)
    pool = [r.session.pk for r in results if r.released]
    usable, excluded = pool, 0
    groups = filters.year_groups()
    if groups:
        usable = sorted(disclosure.breakdown_sessions(pool, disclosure.level_of(groups)))
        excluded = len(pool) - len(usable)
    n = _response_count(usable, groups)
    hidden = n == 0
    stats = (
        []
        if hidden
        else question_stats(answers_for(filters).filter(response__session_id__in=usable))
    )
    by_tutor: dict = {}
    for r in sorted(results, key=lambda r: (r.session.starts_at, r.session.pk)):
        for tutor in r.session.tutors.all():
            by_tutor.setdefault(tutor, []).append(r)
    tutors = sorted(
        (TutorSummary(t, rs, falling(rs)) for t, rs in by_tutor.items()),
        key=lambda t: (t.tutor.full_name.casefold(), t.tutor.pk),
    )
    return CommitteeDashboard(results, stats, n, tutors, hidden, excluded)


def cached_tutor_dashboard(tutor) -> TutorDashboard:
    """tutor_dashboard without the audience (no booking read: anyone's booking would throw it
    away), remembered per tutor until a table behind it is written or the clock alone changes it
    (a window closes and releases a session's figures); see `with_audience`."""
    return remember(
        "feedback-tutor-dashboard",
        (tutor.pk,),
        lambda: tutor_dashboard(tutor, rates=False),
        until=lambda dash: next_change(dash.sessions),
    )


def _response_count(session_ids: list[int], groups: list[str] | None) -> int:
    """Respondents in released (and, with a year filter, breakdown-safe) sessions: 0 or >= k."""
    qs = Response.objects.filter(session_id__in=session_ids)
    if groups:
        qs = qs.filter(year_group__in=groups)
    return qs.count()
