"""Demo feedback: a `seed_demo` receiver, run by `manage.py seed_demo` after the sessions step.

The short standard form and the society's own questions; realistic answers for past sessions
(each session has its own quality, a few are weak, answers spread around it), some free text
(mostly approved, some pending, a few hidden); a peer observation and a teaching certificate
for the demo tutor. The demo student is left with sessions awaiting feedback. Deterministic
(fixed seed) and idempotent (skips if responses exist).
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from feedback.models import Answer, Certificate, HasAnswered, PeerObservation, Response
from feedback.models.observations import RUBRIC
from feedback.models.responses import Mode, ReviewStatus
from feedback.services.certificates import issue_teaching_certificate
from feedback.services.questionnaires import (
    ensure_default_form,
    ensure_society_form,
    form_for_session,
    questions_of,
)
from feedback.services.responses import year_group_of
from sessions_app.models import Booking, TeachingSession
from sessions_app.resources import selectors as resources

SEED = 7007
ANSWER_RATE = 0.6
WENT_WELL = [
    "Really clear explanations, and the diagrams helped a lot.",
    "Loved the practice questions at the end.",
    "Great pace and very exam-focused.",
    "The tutor made a hard topic feel manageable.",
    "Useful mnemonics, I will definitely use them.",
    "Friendly atmosphere, I felt able to ask questions.",
    "Hearing how a year 5 approaches this was really useful.",
]
IMPROVE = [
    "A bit rushed towards the end.",
    "More time for questions, please.",
    "Slides could be shared before the session.",
    "The audio in the recording was quiet.",
    "Would like more clinical cases.",
    "Could slow down on the pharmacology part.",
]


def _likert(rng: random.Random, base: float) -> int:
    return max(1, min(5, round(rng.gauss(base, 0.8))))


def _answers(rng, questions, tutors, base) -> list[Answer]:
    rows = []
    for q in questions:
        about = tutors if q.per_tutor and len(tutors) > 1 else [None]
        for tutor in about:
            tid = tutor.pk if tutor else None
            if q.type == "likert":
                rows.append(Answer(question=q, tutor_id=tid, value_int=_likert(rng, base)))
            elif q.type == "rating":
                value = max(1, min(10, round(rng.gauss(base * 2 - 0.5, 1.5))))
                rows.append(Answer(question=q, tutor_id=tid, value_int=value))
            elif q.type == "single":
                weights = [1, 6, 2] if base > 3.5 else [1, 3, 4]
                value = rng.choices(q.choices, weights=weights[: len(q.choices)])[0]
                rows.append(Answer(question=q, tutor_id=tid, value_choices=[value]))
            elif q.type == "multiple":
                picked = [c for c in q.choices if rng.random() < 0.35]
                if picked:
                    rows.append(Answer(question=q, tutor_id=tid, value_choices=picked))
            else:
                pool, chance = (WENT_WELL, 0.35) if q.key == "went_well" else (IMPROVE, 0.25)
                if rng.random() < chance:
                    review = rng.choices(
                        [ReviewStatus.APPROVED, ReviewStatus.PENDING, ReviewStatus.HIDDEN],
                        weights=[7, 2, 1],
                    )[0]
                    rows.append(
                        Answer(question=q, tutor_id=tid, value_text=rng.choice(pool), review=review)
                    )
    return rows


@transaction.atomic
def seed(demo, **kwargs) -> None:
    """The feedback part of the demo; a `seed_demo` receiver (after sessions_app's part)."""
    ensure_default_form("")  # the short standard form
    ensure_society_form()  # the society's own questions, once a term
    if Response.objects.exists():
        return
    rng = random.Random(SEED)
    now = timezone.now()
    sessions = list(
        TeachingSession.objects.filter(ends_at__lte=now, status=TeachingSession.Status.PUBLISHED)
        .prefetch_related("tutors")
        .order_by("starts_at", "pk")
    )
    attended: dict[int, dict] = {}
    for b in Booking.objects.filter(
        session__in=sessions, status=Booking.Status.CONFIRMED, attended=True
    ).select_related("student"):
        attended.setdefault(b.session_id, {})[b.student_id] = b.student
    watched: dict[int, dict] = {}
    for access in (
        resources.watched_playbacks()
        .filter(resource__session__in=sessions)
        .select_related("user", "resource")
    ):
        watched.setdefault(access.resource.session_id, {})[access.user_id] = access.user
    answered, responses, answers = [], [], []
    recorded: set[int] = set()  # sessions with a recording-mode response
    for i, session in enumerate(sessions):
        base = 2.6 if i % 9 == 4 else rng.uniform(3.4, 4.7)
        questions = questions_of(form_for_session(session))
        form = questions[0].form if questions else form_for_session(session)
        tutors = list(session.tutors.all())
        live, viewers = attended.get(session.pk, {}), watched.get(session.pk, {})
        for pk, student in sorted({**viewers, **live}.items()):
            if student == demo.student or student in tutors or rng.random() > ANSWER_RATE:
                continue
            # the way they took part, as the eligibility rules allow it; the first viewer who
            # answers a session answers about the recording, so the demo always has both modes
            # whatever the other demos' random draws
            if pk in live:
                by_recording = pk in viewers and (rng.random() < 0.15 or session.pk not in recorded)
                mode = Mode.RECORDING if by_recording else Mode.LIVE
            else:
                mode = Mode.RECORDING
            if mode == Mode.RECORDING:
                recorded.add(session.pk)
            answered.append(HasAnswered(user=student, session=session))
            day = timezone.localtime(session.ends_at).date() + timedelta(days=rng.randint(0, 3))
            response = Response(
                session=session,
                form=form,
                mode=mode,
                year_group=year_group_of(student),
                submitted_on=min(day, timezone.localdate()),
            )
            responses.append(response)
            for a in _answers(rng, questions, tutors, base):
                a.response = response
                answers.append(a)
    rng.shuffle(answered)
    HasAnswered.objects.bulk_create(answered, batch_size=500)
    Response.objects.bulk_create(responses, batch_size=500)
    Answer.objects.bulk_create(answers, batch_size=1000)
    _observation_and_certificate(demo, sessions)


def _observation_and_certificate(demo, sessions) -> None:
    if demo.tutor is None:
        return
    taught = [s for s in sessions if demo.tutor in s.tutors.all()]
    if taught and demo.chair is not None:
        PeerObservation.objects.get_or_create(
            session=taught[-1],
            tutor=demo.tutor,
            observer=demo.chair,
            defaults={
                "scores": {key: 3 + (n % 2) for n, (key, _) in enumerate(RUBRIC)},
                "strengths": "Clear structure and good use of questions to check understanding.",
                "suggestions": "Leave five minutes at the end for questions.",
            },
        )
    if taught and not Certificate.objects.filter(user=demo.tutor).exists():
        first = timezone.localtime(taught[0].starts_at).date()
        issue_teaching_certificate(demo.tutor, first, timezone.localdate())
