"""Feedback test helpers: a finished session with attendees, and answering it via the service."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from feedback.models import ReviewStatus
from feedback.models.responses import Mode
from feedback.services.questionnaires import ensure_default_form, form_for_session, questions_of
from feedback.services.responses import AnswerInput, submit_feedback
from sessions_app.models import Booking
from tests.factories.core import TutorFactory, UserFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory


def past_session(attendees: int = 0, tutors=None, days_ago: int = 1, **kw):
    """A session that ended `days_ago` days ago, with `attendees` marked as attending.

    Unless a test made its own, the standard form of this test world is the detailed set, so
    that dashboards and reports meet every question type (the product's default is short).
    """
    ensure_default_form("", detailed=True)
    start = (timezone.now() - timedelta(days=days_ago, hours=2)).replace(microsecond=0)
    session = TeachingSessionFactory(
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        tutors=tutors if tutors is not None else [TutorFactory()],
        **kw,
    )
    students = [UserFactory() for _ in range(attendees)]
    for student in students:
        BookingFactory(session=session, student=student, attended=True)
    return session, students


def attend(session, student=None, attended=True) -> Booking:
    return BookingFactory(session=session, student=student or UserFactory(), attended=attended)


def answers_for(session, overall: int = 4, text: str = "", per_tutor: int = 4, **values):
    """Answer every question: `overall`, the other Likerts 4, recommend 8, optional text."""
    tutors = list(session.tutors.all())
    items = []
    for q in questions_of(form_for_session(session)):
        if q.per_tutor and len(tutors) > 1:
            items += [AnswerInput(q, per_tutor, t.pk) for t in tutors]
            continue
        if q.key in values:
            value = values[q.key]
        elif q.key == "overall":
            value = overall
        elif q.type == "likert":
            value = 4
        elif q.type == "rating":
            value = 8
        elif q.type == "single":
            value = q.choices[1]
        elif q.type == "multiple":
            value = q.choices[:1]
        else:
            value = text if q.key == "went_well" else ""
        items.append(AnswerInput(q, value))
    return items


def give_feedback(user, session, mode: str = Mode.LIVE, **kw):
    return submit_feedback(user, session, mode, answers_for(session, **kw))


def approve_all_text() -> None:
    from feedback.models import Answer

    Answer.objects.exclude(value_text="").update(review=ReviewStatus.APPROVED)


def after_close(days: int = 1):
    """Travel to after every feedback window of a recent session has closed (results released)."""
    import time_machine
    from django.conf import settings

    later = timezone.now() + timedelta(days=settings.MEDED_FEEDBACK_WINDOW_DAYS * 2 + days)
    return time_machine.travel(later, tick=False)


def closed_by_now(days: int = 1):
    """Travel back far enough that sessions held and answered inside the block have had their
    feedback windows closed by the time it ends (their results released, if >= k answered)."""
    import time_machine
    from django.conf import settings

    earlier = timezone.now() - timedelta(days=settings.MEDED_FEEDBACK_WINDOW_DAYS * 2 + days)
    return time_machine.travel(earlier, tick=False)


def watch(user, recording):
    """The player streamed the whole recording to the member (see record_playback)."""
    from sessions_app.models import RecordingPlayback

    return RecordingPlayback.objects.update_or_create(
        resource=recording, user=user, defaults={"spans": [[0, 100]], "watched": True}
    )[0]
