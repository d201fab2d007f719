"""Who may give feedback on a session, and until when.

Live: a confirmed booking marked as attended (the tutor's register or the student's check-in),
from the session's start until the feedback window (MEDED_FEEDBACK_WINDOW_DAYS) after it ends.
Recording: anyone whose playback the server observed (see sessions_app.resources: watching means
streamed, not opened), until the recording's feedback window ends (the same number of days after
the recording became available). Once per member per session; never the session's tutors.

A recording extends the window only if it became available before the live window closed. Results
are released when the window closes (feedback.disclosure); a recording published later must not
reopen feedback, or one late answer could be read as the difference between two released pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from feedback.models import HasAnswered
from feedback.models.responses import Mode
from meded.models import Topic
from meded.prepared import Prepared, PreparedForIds
from sessions_app.models import Booking, Resource, TeachingSession
from sessions_app.resources import selectors as resources


@dataclass(frozen=True)
class Eligibility:
    modes: list[str] = field(default_factory=list)
    reason: str = ""
    closes_at: datetime | None = None

    @property
    def allowed(self) -> bool:
        return bool(self.modes)


def window() -> timedelta:
    return timedelta(days=settings.MEDED_FEEDBACK_WINDOW_DAYS)


def live_closes_at(session: TeachingSession) -> datetime:
    return session.ends_at + window()


def _available_from(resource: Resource) -> datetime:
    """When students could first watch it: published, and past its release time."""
    published = resource.published_at or resource.created
    return max(published, resource.release_at) if resource.release_at else published


def closes_from(ends_at: datetime, available: list[datetime]) -> datetime:
    """When feedback closes for good: the live window, extended by recordings that became
    available before it closed (later ones open nothing; see the module docstring)."""
    live = ends_at + window()
    return max([ends_at, *(a for a in available if a <= live)]) + window()


def recording_closes_at(session: TeachingSession) -> datetime:
    """Recording viewers: the window runs from when the recording became available (read by
    `closes_at_map`'s statement, compiled once per process)."""
    return closes_at_map([session])[session.pk]


def closes_at_map(sessions: list[TeachingSession]) -> dict[int, datetime]:
    """recording_closes_at for many sessions in one query: the moment results may be released."""
    available: dict[int, list[datetime]] = {s.pk: [] for s in sessions}
    for r in _RECORDINGS.instances(ids=[s.pk for s in sessions]):
        available[r.session_id].append(_available_from(r))
    return {s.pk: closes_from(s.ends_at, available[s.pk]) for s in sessions}


# Every cold dashboard and portfolio reads them: compiled once per process and size.
_RECORDINGS = PreparedForIds(
    lambda ids: Resource.objects.filter(
        session__in=ids, kind=Resource.Kind.RECORDING, status=Resource.Status.PUBLISHED
    ).only("id", "session", "published_at", "created", "release_at")
)


def recording_extends(since: datetime) -> Exists:
    """A published recording of the session (OuterRef) that became available on or after since,
    and before the session's live window closed (see closes_from)."""
    published = Coalesce("published_at", "created")
    return Exists(
        Resource.objects.filter(
            session=OuterRef("pk"),
            kind=Resource.Kind.RECORDING,
            status=Resource.Status.PUBLISHED,
        )
        .annotate(available=Greatest(published, Coalesce("release_at", published)))
        .filter(available__gte=since, available__lte=OuterRef("ends_at") + window())
    )


def watched_recording(user, session: TeachingSession) -> bool:
    """The resources app's recording access log (its `watched_playbacks` rule, compiled once per
    process)."""
    return bool(_WATCHED.rows(user.pk, session.pk))


_WATCHED = Prepared(
    lambda user_pk, session_pk: (
        resources.watched_playbacks()
        .filter(user_id=user_pk, resource__session=session_pk)
        .values("pk")[:1]
    ),
    2,
)


def recording_viewers(session: TeachingSession) -> list:
    """Members who opened the session's recording."""
    return list(resources.recording_viewers(session))


def _watched(user_pk: int) -> Exists:
    return Exists(
        resources.watched_playbacks().filter(user_id=user_pk, resource__session=OuterRef("pk"))
    )


ATTENDED = {"status": Booking.Status.CONFIRMED, "attended": True}


def _attended_live(user, session: TeachingSession) -> bool:
    return bool(_ATTENDED_LIVE.rows(session.pk, user.pk))


# Asked by every questionnaire and every answer sent: compiled once per process.
_ATTENDED_LIVE = Prepared(
    lambda session_pk, user_pk: Booking.objects.filter(
        session=session_pk, student=user_pk, **ATTENDED
    ).values("pk")[:1],
    2,
)
_ANSWERED_IT = Prepared(
    lambda user_pk, session_pk: (
        HasAnswered.objects.filter(user=user_pk, session=session_pk).order_by().values("pk")[:1]
    ),
    2,
)


def check(user, session: TeachingSession, now: datetime | None = None) -> Eligibility:
    """Which modes (live/recording) this member may answer in now, or the reason they can't."""
    now = now or timezone.now()
    if session.status == TeachingSession.Status.CANCELLED:
        return Eligibility(reason="This session was cancelled.")
    if session.is_taught_by(user):
        return Eligibility(reason="You taught this session; tutors don't rate their own teaching.")
    if _ANSWERED_IT.rows(user.pk, session.pk):
        return Eligibility(reason="You have already given feedback on this session. Thank you!")
    modes, closes = [], None
    if _attended_live(user, session):
        if now < session.starts_at:
            return Eligibility(reason="Feedback opens when the session starts.")
        if now <= live_closes_at(session):
            modes.append(Mode.LIVE)
            closes = live_closes_at(session)
    if now <= recording_closes_at(session) and watched_recording(user, session):
        modes.append(Mode.RECORDING)
        closes = max(closes or now, recording_closes_at(session))
    if not modes:
        return Eligibility(
            reason="Feedback is for members who attended or watched the recording, "
            "within the feedback window."
        )
    return Eligibility(modes=modes, closes_at=closes)


def awaiting(user, now: datetime | None = None) -> QuerySet[TeachingSession]:
    """Sessions this member attended or watched that are still open for their feedback.

    The same windows as check(): live until the window after the session ends; recording until
    the window after the session ends or after its recording became available, whichever is later.
    """
    now = now or timezone.now()
    return _awaiting(user.pk, now, now - window())


def awaiting_first(user, now: datetime | None = None) -> list[TeachingSession]:
    """The first `AWAITING_SHOWN` of `awaiting`, with what a line prints (the title and start):
    every cold visit of the home page asks, so the read is compiled once per process."""
    now = now or timezone.now()
    return _AWAITING_FIRST.instances(user.pk, now, now - window())


def _awaiting(user_pk: int, now: datetime, since: datetime) -> QuerySet[TeachingSession]:
    attended = Exists(
        Booking.objects.filter(session=OuterRef("pk"), student_id=user_pk, **ATTENDED)
    )
    answered_it = Exists(HasAnswered.objects.filter(session=OuterRef("pk"), user_id=user_pk))
    teaches = Exists(
        TeachingSession.tutors.through.objects.filter(
            teachingsession_id=OuterRef("pk"), user_id=user_pk
        )
    )
    live_open = attended & Q(ends_at__gte=since)
    recording_open = _watched(user_pk) & (Q(ends_at__gte=since) | recording_extends(since))
    return (
        TeachingSession.objects.filter(starts_at__lte=now)
        .filter(live_open | recording_open)
        .exclude(status=TeachingSession.Status.CANCELLED)
        .exclude(answered_it)
        .exclude(teaches)
        .select_related("topic")
        .order_by("-starts_at")
    )


AWAITING_SHOWN = 5
_AWAITING_FIRST = Prepared(
    lambda user_pk, now, since: (
        _awaiting(user_pk, now, since)
        .select_related(None)
        .only("id", "title", "starts_at")[:AWAITING_SHOWN]
    ),
    3,
)


def answered(user) -> QuerySet[TeachingSession]:
    """Sessions this member has given feedback on (what they said is not kept against them)."""
    return (
        TeachingSession.objects.filter(feedback_given__user=user)
        .select_related("topic")
        .order_by("-starts_at")
    )


def awaiting_with_topics(user, now: datetime | None = None) -> list[TeachingSession]:
    """`awaiting`, each session with its topic's code and title (what the member's feedback page
    prints): two reads compiled once per process, where the page compiled a join of five
    subqueries on every cold visit."""
    now = now or timezone.now()
    return with_topics(_AWAITING.instances(user.pk, now, now - window()))


_AWAITING = Prepared(
    lambda user_pk, now, since: _awaiting(user_pk, now, since).select_related(None), 3
)


def with_topics(sessions: list[TeachingSession]) -> list[TeachingSession]:
    """Each session given its topic (id, code and title only), read in one prepared statement."""
    ids = sorted({s.topic_id for s in sessions if s.topic_id})
    topics = {t.pk: t for t in _TOPICS.instances(ids=ids)}
    for s in sessions:
        if s.topic_id:
            s.topic = topics[s.topic_id]
    return sessions


_TOPICS = PreparedForIds(lambda ids: Topic.objects.filter(pk__in=ids).only("id", "code", "title"))


class Answered(NamedTuple):
    """A session the member gave feedback on, as their feedback page lists it."""

    pk: int
    title: str
    starts_at: datetime


def answered_rows(user) -> list[Answered]:
    """`answered` as the page lists it (title and start, latest first), compiled once per process
    and paginated by the caller: a member answers a few sessions a week at most."""
    return [Answered(*row) for row in _ANSWERED.converted_rows(user.pk)]


_ANSWERED = Prepared(
    lambda user_pk: (
        TeachingSession.objects.filter(feedback_given__user=user_pk)
        .order_by("-starts_at")
        .values_list("id", "title", "starts_at")
    ),
    1,
)


def session_with_tutors(pk: int) -> TeachingSession | None:
    """The session with its topic and its tutors (as `select_related("topic")` and
    `prefetch_related("tutors")` give them), read by statements compiled once per process."""
    found = _SESSION.instances(pk)
    if not found:
        return None
    session = with_topics(found)[0]
    tutors = session.tutors.get_queryset()  # built, not run: filled as a prefetch fills it
    tutors._result_cache, tutors._prefetch_done = _TUTORS.instances(pk), True
    session._prefetched_objects_cache = {"tutors": tutors}
    return session


_SESSION = Prepared(lambda pk: TeachingSession.objects.filter(pk=pk), 1)
_TUTORS = Prepared(
    lambda pk: TeachingSession.tutors.field.related_model.objects.filter(teaching_sessions=pk), 1
)
