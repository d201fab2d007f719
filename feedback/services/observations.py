"""Peer observation: a committee member or a senior tutor reports on a session to its tutor."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from feedback.models import PeerObservation
from feedback.models.observations import RUBRIC, RUBRIC_SCALE
from meded.roles import is_committee, is_tutor
from sessions_app.models import TeachingSession

from . import FeedbackError

SENIOR_SENIORITY = 5  # tutors in year 5 and above (or graduated) may observe


def can_observe_as_senior(user) -> bool:
    return is_committee(user) or (is_tutor(user) and user.seniority >= SENIOR_SENIORITY)


def can_observe(user, session: TeachingSession) -> bool:
    if is_committee(user):
        return True
    return can_observe_as_senior(user) and not session.is_taught_by(user)


def file_observation(
    observer,
    session: TeachingSession,
    tutor,
    scores: dict[str, int],
    strengths: str,
    suggestions: str = "",
) -> PeerObservation:
    """Record the report once per (session, tutor, observer); the tutor sees it at once."""
    if not can_observe(observer, session):
        raise FeedbackError("Only the committee or a senior tutor may observe a session.")
    if session.starts_at > timezone.now():
        raise FeedbackError("An observation can be filed once the session has started.")
    if tutor == observer:
        raise FeedbackError("You cannot observe your own teaching.")
    if not session.is_taught_by(tutor):
        raise FeedbackError("That person did not teach this session.")
    valid = {v for v, _ in RUBRIC_SCALE}
    missing = [label for key, label in RUBRIC if scores.get(key) not in valid]
    if missing:
        raise FeedbackError("Score every criterion: " + ", ".join(missing) + ".")
    if not strengths.strip():
        raise FeedbackError("Say what went well.")
    try:
        with transaction.atomic():
            return PeerObservation.objects.create(
                session=session,
                tutor=tutor,
                observer=observer,
                scores={key: scores[key] for key, _ in RUBRIC},
                strengths=strengths.strip(),
                suggestions=suggestions.strip(),
            )
    except IntegrityError as exc:
        raise FeedbackError("You have already filed an observation of this tutor here.") from exc
