"""Mock-exam papers and sittings: the committee builds a paper for a mock-exam session; the
students who booked it sit it once, from the start time, against the clock. Every answer is
saved as given; time is kept by the server (the browser's countdown is a courtesy), so a late
answer or submission is refused however the page was tampered with.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from meded.curriculum.models import Module
from meded.roles import is_committee
from sessions_app.booking.models import Booking
from sessions_app.scheduling.models import TeachingSession

from .errors import QuestionError
from .models import LETTERS, ExamAnswer, ExamAttempt, ExamPaper, PaperItem, Question

# A save sent in the last second of the exam may arrive a moment later.
GRACE = timedelta(seconds=5)
MAX_ITEMS = 300


def _committee(actor) -> None:
    if not is_committee(actor):
        raise QuestionError("Only the committee builds and runs mock exams.")


def check_session(session: TeachingSession | None, time_limit: int, paper=None) -> None:
    if session is None:
        return
    if session.kind != TeachingSession.Kind.MOCK_EXAM:
        raise QuestionError("Choose a session of the kind “Mock exam”.", field="session")
    if session.is_cancelled:
        raise QuestionError("That session is cancelled.", field="session")
    other = ExamPaper.objects.filter(session=session).exclude(pk=getattr(paper, "pk", None))
    if other.exists():
        raise QuestionError("That session already has a paper.", field="session")
    minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    if time_limit > minutes:
        raise QuestionError(
            f"The time limit is longer than the session ({minutes} minutes).",
            field="time_limit_minutes",
        )


def create_paper(actor, *, title: str, session=None, time_limit_minutes: int = 60) -> ExamPaper:
    _committee(actor)
    if not title.strip():
        raise QuestionError("Give the paper a title.", field="title")
    if not 1 <= time_limit_minutes <= 600:
        raise QuestionError("The time limit is 1 to 600 minutes.", field="time_limit_minutes")
    check_session(session, time_limit_minutes)
    return ExamPaper.objects.create(
        title=title.strip(),
        session=session,
        time_limit_minutes=time_limit_minutes,
        created_by=actor,
    )


def update_paper(actor, paper: ExamPaper, *, title: str, session, time_limit_minutes: int):
    _committee(actor)
    _not_started(paper)
    if not 1 <= time_limit_minutes <= 600:
        raise QuestionError("The time limit is 1 to 600 minutes.", field="time_limit_minutes")
    check_session(session, time_limit_minutes, paper)
    paper.title, paper.session, paper.time_limit_minutes = (
        title.strip(),
        session,
        time_limit_minutes,
    )
    paper.save(update_fields=["title", "session", "time_limit_minutes"])
    return paper


def _not_started(paper: ExamPaper) -> None:
    if paper.attempts.exists():
        raise QuestionError("Students have started this paper; its questions are fixed now.")


def _append(paper: ExamPaper, questions: list[Question]) -> int:
    taken = set(paper.items.values_list("version__question_id", flat=True))
    new = [q for q in questions if q.pk not in taken]
    if paper.items.count() + len(new) > MAX_ITEMS:
        raise QuestionError(f"A paper has at most {MAX_ITEMS} questions.")
    start = (paper.items.aggregate(m=Max("position"))["m"] or 0) + 1
    PaperItem.objects.bulk_create(
        PaperItem(paper=paper, position=start + i, version_id=q.live_version_id)
        for i, q in enumerate(new)
    )
    return len(new)


def add_questions(actor, paper: ExamPaper, question_ids: list[int]) -> int:
    """Fixed questions, by number; each must be published (its live version goes on the paper)."""
    _committee(actor)
    with transaction.atomic():
        paper = ExamPaper.objects.select_for_update().get(pk=paper.pk)
        _not_started(paper)
        found = {
            q.pk: q
            for q in Question.objects.filter(
                pk__in=question_ids, live_version__isnull=False
            ).exclude(status=Question.Status.RETIRED)
        }
        missing = [str(i) for i in question_ids if i not in found]
        if missing:
            raise QuestionError(
                f"Not published (or not found): Q{', Q'.join(missing)}.", field="question_ids"
            )
        return _append(paper, [found[i] for i in dict.fromkeys(question_ids)])


def draw_blueprint(actor, paper: ExamPaper, per_module: dict[Module, int], seed=None) -> int:
    """n questions per module, drawn at random from the published bank (not already on it)."""
    _committee(actor)
    rng = random.Random(seed)
    with transaction.atomic():
        paper = ExamPaper.objects.select_for_update().get(pk=paper.pk)
        _not_started(paper)
        taken = set(paper.items.values_list("version__question_id", flat=True))
        chosen: list[Question] = []
        for module, n in per_module.items():
            if n <= 0:
                continue
            candidates = [
                q
                for q in practisable_or_on_paper()
                .filter(live_version__topics__module=module)
                .distinct()
                .order_by("pk")
                if q.pk not in taken and q not in chosen
            ]
            if len(candidates) < n:
                raise QuestionError(
                    f"{module.name} has {len(candidates)} published question(s) to draw; "
                    f"you asked for {n}.",
                    field="blueprint",
                )
            chosen.extend(rng.sample(candidates, n))
        if not chosen:
            raise QuestionError("Ask for at least one question.", field="blueprint")
        return _append(paper, chosen)


def practisable_or_on_paper():
    """What a paper may draw from: every published question in use."""
    return Question.objects.filter(live_version__isnull=False).exclude(
        status__in=[Question.Status.RETIRED, Question.Status.REJECTED]
    )


def remove_item(actor, item: PaperItem) -> None:
    _committee(actor)
    _not_started(item.paper)
    item.delete()


# -- sitting -----------------------------------------------------------------------------------


def sitting_refusal(student, paper: ExamPaper, now) -> str | None:
    """Why this student may not start now, or None."""
    session = paper.session
    if session is None or session.status != TeachingSession.Status.PUBLISHED:
        return "This paper is not attached to a published mock-exam session."
    if not Booking.objects.filter(
        session=session, student=student, status=Booking.Status.CONFIRMED
    ).exists():
        return "Only students with a confirmed place on this mock exam may sit it."
    if now < session.starts_at:
        local = timezone.localtime(session.starts_at)
        return f"The exam opens at {local:%H:%M on %A %-d %B}."
    if now >= session.ends_at:
        return "The sitting has ended."
    if not paper.items.exists():
        return "This paper has no questions yet."
    return None


def start_attempt(student, paper: ExamPaper, now=None) -> ExamAttempt:
    """The student's one attempt: started now, or the one already under way."""
    now = now or timezone.now()
    existing = ExamAttempt.objects.filter(paper=paper, student=student).first()
    if existing:
        return existing
    refusal = sitting_refusal(student, paper, now)
    if refusal:
        raise QuestionError(refusal)
    deadline = min(now + timedelta(minutes=paper.time_limit_minutes), paper.session.ends_at)
    try:
        with transaction.atomic():
            return ExamAttempt.objects.create(
                paper=paper, student=student, started_at=now, deadline=deadline
            )
    except IntegrityError:  # a second tab started it at the same moment
        return ExamAttempt.objects.get(paper=paper, student=student)


def _score(attempt: ExamAttempt) -> int:
    return sum(
        1
        for a in attempt.answers.select_related("item__version")
        if a.chosen == a.item.version.answer
    )


def _close(attempt: ExamAttempt, at, auto: bool) -> None:
    attempt.submitted_at, attempt.auto_submitted = at, auto
    attempt.score = _score(attempt)
    attempt.save(update_fields=["submitted_at", "auto_submitted", "score"])


def save_answer(student, paper: ExamPaper, item_id: int, letter: str, now=None) -> ExamAnswer:
    """Keep an answer as it is given; the last one given before time is up counts."""
    now = now or timezone.now()
    if letter not in LETTERS:
        raise QuestionError("Choose one of the options, A to E.")
    with transaction.atomic():
        attempt = _open_attempt(student, paper, now)
        if attempt is None:
            answer = None
        else:
            if not PaperItem.objects.filter(pk=item_id, paper=paper).exists():
                raise QuestionError("That question is not on this paper.")
            # One upsert (INSERT ... ON CONFLICT UPDATE): the last answer given is kept.
            answer = ExamAnswer(attempt=attempt, item_id=item_id, chosen=letter, saved_at=now)
            ExamAnswer.objects.bulk_create(
                [answer],
                update_conflicts=True,
                unique_fields=["attempt", "item"],
                update_fields=["chosen", "saved_at"],
            )
    if answer is None:  # the attempt was closed at its deadline, and that is kept
        raise QuestionError("Time is up: this answer arrived late and was not saved.")
    return answer


def _open_attempt(student, paper: ExamPaper, now) -> ExamAttempt | None:
    """The student's attempt, locked, if it is still open; None once time ran out (it is then
    closed at its deadline, in the caller's transaction)."""
    attempt = ExamAttempt.objects.select_for_update().filter(paper=paper, student=student).first()
    if attempt is None:
        raise QuestionError("Start the exam first.")
    if attempt.submitted_at is not None:
        raise QuestionError("You have submitted this exam; answers can no longer change.")
    if now > attempt.deadline + GRACE:
        _close(attempt, attempt.deadline, auto=True)
        return None
    return attempt


def submit(student, paper: ExamPaper, now=None) -> ExamAttempt:
    now = now or timezone.now()
    try:
        with transaction.atomic():
            attempt = _open_attempt(student, paper, now)
            if attempt is not None:
                _close(attempt, now, auto=False)
    except QuestionError as exc:
        if "can no longer change" in str(exc):
            raise QuestionError("You have already submitted this exam.") from exc
        raise
    if attempt is None:
        raise QuestionError(
            "Time was up before this submission arrived; the answers saved by the deadline "
            "were submitted for you."
        )
    return attempt


def close_overdue(now=None, **signal_kwargs) -> int:
    """Submit every attempt whose time ran out (a closed laptop, a lost connection).
    Periodic (meded.signals.periodic_task) and idempotent."""
    now = now or timezone.now()
    closed = 0
    for pk in ExamAttempt.objects.filter(
        submitted_at__isnull=True, deadline__lt=now - GRACE
    ).values_list("pk", flat=True):
        with transaction.atomic():
            attempt = ExamAttempt.objects.select_for_update().get(pk=pk)
            if attempt.submitted_at is None:
                _close(attempt, attempt.deadline, auto=True)
                closed += 1
    return closed


def check_releasable(paper: ExamPaper, now=None) -> None:
    now = now or timezone.now()
    if paper.released:
        raise QuestionError("The results of this paper are already released.")
    if paper.session is not None and now < paper.session.ends_at:
        raise QuestionError("Release the results after the sitting has ended.")


def release_results(actor, paper: ExamPaper, now=None) -> ExamPaper:
    """Scores, the cohort's distribution and the explanations become visible to those who sat.
    The committee's page releases through the mass email (mailings.py), which calls this."""
    _committee(actor)
    now = now or timezone.now()
    if paper.session is not None and now < paper.session.ends_at:
        raise QuestionError("Release the results after the sitting has ended.")
    close_overdue(now)
    with transaction.atomic():
        paper = ExamPaper.objects.select_for_update().get(pk=paper.pk)
        if paper.results_released_at is None:
            paper.results_released_at = now
            paper.save(update_fields=["results_released_at"])
    return paper


def withdraw_results(actor, paper: ExamPaper) -> ExamPaper:
    _committee(actor)
    ExamPaper.objects.filter(pk=paper.pk).update(results_released_at=None)
    paper.refresh_from_db()
    return paper
