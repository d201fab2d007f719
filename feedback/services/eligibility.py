"""Who may give feedback on a session, and until when.

Live: a confirmed booking not marked absent, from the session's start until the feedback window
(MEDED_FEEDBACK_WINDOW_DAYS) after it ends. Recording: anyone who watched the recording, until
the recording's feedback window ends. Once per member per session; never the session's tutors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from feedback.models import HasAnswered
from feedback.models.responses import Mode
from sessions_app import selectors_resources as resources
from sessions_app.models import Booking, Resource, ResourceAccess, TeachingSession


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


def recording_closes_at(session: TeachingSession) -> datetime:
    """Recording viewers: the window runs from when the recording became available."""
    available = [
        r.release_at or r.published_at or r.created
        for r in Resource.objects.filter(session=session, kind=Resource.Kind.RECORDING)
    ]
    return max([session.ends_at, *available]) + window()


def watched_recording(user, session: TeachingSession) -> bool:
    """The resources app's recording access log."""
    return resources.watched_recording(user, session)


def recording_viewers(session: TeachingSession) -> list:
    """Members who opened the session's recording."""
    return list(resources.recording_viewers(session))


def _watched(user) -> Exists:
    return Exists(
        ResourceAccess.objects.filter(
            user=user, resource__session=OuterRef("pk"), resource__kind=Resource.Kind.RECORDING
        )
    )


def _attended_live(user, session: TeachingSession) -> bool:
    return (
        Booking.objects.filter(session=session, student=user, status=Booking.Status.CONFIRMED)
        .exclude(attended=False)
        .exists()
    )


def check(user, session: TeachingSession, now: datetime | None = None) -> Eligibility:
    """Which modes (live/recording) this member may answer in now, or the reason they can't."""
    now = now or timezone.now()
    if session.status == TeachingSession.Status.CANCELLED:
        return Eligibility(reason="This session was cancelled.")
    if session.tutors.filter(pk=user.pk).exists():
        return Eligibility(reason="You taught this session; tutors don't rate their own teaching.")
    if HasAnswered.objects.filter(user=user, session=session).exists():
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

    Recording viewers are listed for the standard window after the session; check() gives the
    exact closing time when a recording was released later.
    """
    now = now or timezone.now()
    booked = Exists(
        Booking.objects.filter(
            session=OuterRef("pk"), student=user, status=Booking.Status.CONFIRMED
        ).exclude(attended=False)
    )
    answered_it = Exists(HasAnswered.objects.filter(session=OuterRef("pk"), user=user))
    teaches = Exists(
        TeachingSession.tutors.through.objects.filter(
            teachingsession_id=OuterRef("pk"), user_id=user.pk
        )
    )
    return (
        TeachingSession.objects.filter(booked | _watched(user))
        .filter(starts_at__lte=now, ends_at__gte=now - window())
        .exclude(status=TeachingSession.Status.CANCELLED)
        .exclude(answered_it)
        .exclude(teaches)
        .select_related("topic")
        .order_by("-starts_at")
    )


def answered(user) -> QuerySet[TeachingSession]:
    """Sessions this member has given feedback on (what they said is not kept against them)."""
    return (
        TeachingSession.objects.filter(feedback_given__user=user)
        .select_related("topic")
        .order_by("-starts_at")
    )
