"""What a portfolio shows, read once for the page, the PDF and the shared link.

Feedback comes only through the tutor dashboard's rules (`feedback.selectors.dashboards`, which
go through `feedback/disclosure.py`): a session's results appear only once it is released, and
the portfolio shows means and counts, never free text, so sharing it reveals nothing a tutor
could not see.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from feedback import disclosure
from feedback.models import Certificate, PeerObservation
from feedback.selectors.dashboards import (
    SessionResult,
    session_results,
    taught_instances,
    tutor_numeric_stats,
    tutor_observations,
)
from feedback.selectors.eligibility import with_topics
from feedback.selectors.stats import QuestionStats
from meded.prepared import Prepared
from sessions_app.models import TeachingSession

from .models import CareerLink, PortfolioLink, Reflection


def academic_year(when: datetime) -> str:
    """The society's year runs September to August: 2025-10-01 is in "2025/26"."""
    local = timezone.localtime(when)
    start = local.year if local.month >= 9 else local.year - 1
    return f"{start}/{str(start + 1)[-2:]}"


def taught_sessions(tutor) -> QuerySet[TeachingSession]:
    """Sessions the tutor taught that have happened (cancelled ones do not count)."""
    return (
        TeachingSession.objects.filter(tutors=tutor, starts_at__lte=timezone.now())
        .exclude(status=TeachingSession.Status.CANCELLED)
        .select_related("topic__module")
        .order_by("starts_at", "pk")
    )


def hours(session: TeachingSession) -> float:
    return round((session.ends_at - session.starts_at).total_seconds() / 3600, 2)


@dataclass
class Portfolio:
    tutor: object
    results: list[SessionResult]
    feedback: list[QuestionStats]
    observations: list[PeerObservation]
    certificates: list[Certificate]
    reflections: list[Reflection]
    career_links: list[CareerLink]
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    years: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)

    @property
    def sessions(self) -> int:
        return len(self.results)

    @property
    def total_hours(self) -> float:
        return round(sum(hours(r.session) for r in self.results), 1)

    @property
    def released(self) -> list[SessionResult]:
        return [r for r in self.results if r.released]

    @property
    def responses(self) -> int:
        return sum(r.responses for r in self.released)

    @property
    def mean_overall(self) -> float | None:
        rows = [r for r in self.released if r.overall is not None]
        n = sum(r.responses for r in rows)
        return round(sum(r.overall * r.responses for r in rows) / n, 2) if n else None

    @property
    def best_observation(self) -> float | None:
        means = [observation_mean(o) for o in self.observations]
        means = [m for m in means if m is not None]
        return max(means) if means else None


def observation_mean(observation: PeerObservation) -> float | None:
    values = [v for v in observation.scores.values() if isinstance(v, int)]
    return round(sum(values) / len(values), 2) if values else None


def portfolio(tutor, *, private: bool = False) -> Portfolio:
    """The tutor's portfolio. ``private`` (their own view) lists every reflection; shared views and
    the PDF hold only those they chose to include. Every read is compiled once per process (a
    cold portfolio, PDF or fast-track verdict compiled five joined querysets)."""
    sessions = _taught_with_topics(tutor)
    # No audience: nothing here prints one (nor a rate), and a read of bookings would let anyone's
    # booking throw away the remembered page, PDF and fast-track verdict built on this.
    results = session_results(sessions, rates=False)
    for r in results:
        r.hours = hours(r.session)  # shown per row on the page
    # Released sessions only (feedback/disclosure.py: window closed with >= k responses): the one
    # rule that decides what may be shown, the same as the tutor's own dashboard.
    released_ids = [r.session.pk for r in results if r.released]
    # A question pooled over sessions is a cell too: shown only for at least k answers. The
    # answers about this tutor's teaching in released sessions (`_tutor_answers`, as the
    # dashboard reads them), counted per question and value by the database.
    stats = [s for s in tutor_numeric_stats(tutor, released_ids) if s.n >= disclosure.k()]
    kinds = Counter(s.get_kind_display() for s in sessions)
    return Portfolio(
        tutor=tutor,
        results=results,
        feedback=stats,
        observations=tutor_observations(tutor),
        certificates=_CERTIFICATES.instances(tutor.pk),
        reflections=_reflections(tutor, private),
        career_links=_CAREER_LINKS.instances(),
        by_kind=sorted(kinds.items()),
        years=sorted({academic_year(s.starts_at) for s in sessions}),
        topics=sorted({f"{s.topic.code} {s.topic.title}" for s in sessions if s.topic}),
    )


def _taught_with_topics(tutor) -> list[TeachingSession]:
    """`taught_sessions` (the dashboard's prepared read), each with its topic's code and title
    (all the portfolio prints of it) from a second prepared read."""
    return with_topics(taught_instances(tutor))


def _reflections(tutor, private: bool) -> list[Reflection]:
    """The tutor's reflections (only those included, unless `private`), latest session first,
    each with its session's title and date."""
    found = []
    for pk, session_id, text, included, created, updated, title, starts_at in (
        _REFLECTIONS if private else _INCLUDED
    ).converted_rows(tutor.pk):
        r = Reflection(
            id=pk,
            tutor_id=tutor.pk,
            session_id=session_id,
            text=text,
            in_portfolio=included,
            created_at=created,
            updated_at=updated,
        )
        r.session = TeachingSession(id=session_id, title=title, starts_at=starts_at)
        found.append(r)
    return found


def _reflections_read(**more):
    columns = ("id", "session_id", "text", "in_portfolio", "created_at", "updated_at")
    return Prepared(
        lambda tutor_pk: Reflection.objects.filter(tutor=tutor_pk, **more).values_list(
            *columns, "session__title", "session__starts_at"
        ),
        1,
    )


_REFLECTIONS, _INCLUDED = _reflections_read(), _reflections_read(in_portfolio=True)

# Read on every cold visit of a portfolio: compiled once per process.
_CERTIFICATES = Prepared(
    lambda user_pk: Certificate.objects.filter(user_id=user_pk).order_by("-issued_at"), 1
)
_CAREER_LINKS = Prepared(lambda: CareerLink.objects.all(), 0)


def tutor_links(tutor) -> list[PortfolioLink]:
    """The tutor's private links to their portfolio (compiled once per process)."""
    return _LINKS.instances(tutor.pk)


_LINKS = Prepared(lambda tutor_pk: PortfolioLink.objects.filter(tutor_id=tutor_pk), 1)


def teaching_record(sender=None, user=None, **kwargs) -> dict:
    """Receiver of meded.signals.teaching_record: the figures the fast track checks. Only what
    they come from is read (the sessions taught, their release and overall means, the
    observations), the same reads as the portfolio's."""
    results = session_results(taught_instances(user), rates=False)
    p = Portfolio(user, results, [], tutor_observations(user), [], [], [])
    return {
        "sessions_taught": p.sessions,
        "responses": p.responses,
        "mean_feedback": p.mean_overall,
        "best_observation": p.best_observation,
    }


def live_link(token: str) -> PortfolioLink | None:
    return (
        PortfolioLink.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("tutor")
        .first()
    )


def reflectable_sessions(tutor) -> QuerySet[TeachingSession]:
    """Sessions taught without a reflection yet, newest first (for the reflection form)."""
    return taught_sessions(tutor).exclude(reflections__tutor=tutor).order_by("-starts_at")
