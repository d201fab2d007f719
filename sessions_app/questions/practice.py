"""Practice: a student asks for questions (a module, topics or their year), answers them one at
a time with feedback or as a block, and the spaced-repetition schedule decides what comes back.

Questions on a mock-exam paper whose results are not released are never offered, so practice
cannot show the answer of an exam question early.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from meded.curriculum.models import Module

from . import repetition
from .errors import QuestionError
from .models import (
    LETTERS,
    PaperItem,
    PracticeAnswer,
    PracticeSet,
    Question,
    RepetitionSchedule,
)

MAX_COUNT = 50


def practisable() -> QuerySet[Question]:
    """Published (or in review with a live version), not retired, not on an unreleased paper."""
    on_unreleased = PaperItem.objects.filter(paper__results_released_at__isnull=True).values(
        "version__question_id"
    )
    return (
        Question.objects.filter(live_version__isnull=False)
        .exclude(status__in=[Question.Status.RETIRED, Question.Status.REJECTED])
        .exclude(pk__in=on_unreleased)
    )


def pool(student, *, module: Module | None = None, topics=(), my_year: bool = False):
    questions = practisable()
    if module is not None:
        questions = questions.filter(live_version__topics__module=module)
    if topics:
        questions = questions.filter(live_version__topics__in=list(topics))
    if my_year:
        number = student.year_number
        if number is None:
            raise QuestionError("Your year of study is not a numbered year; pick a module.")
        questions = questions.filter(
            Q(live_version__year__number=number) | Q(live_version__topics__years__number=number)
        )
    return questions.distinct()


def choose(student, candidates: QuerySet[Question], count: int, now) -> list[Question]:
    """Due for repetition first (the longest overdue first), then never seen, then the rest by
    how soon they are due, so a mastered question comes back only when nothing else is left.

    Picked in SQL: the cost does not grow with the bank or with the student's history."""
    due_at = RepetitionSchedule.objects.filter(student=student, question=OuterRef("pk")).values(
        "due_at"
    )[:1]
    chosen = (
        Question.objects.filter(pk__in=candidates.values("pk"))
        .annotate(repetition_due=Subquery(due_at))
        .annotate(
            repetition_bucket=Case(
                When(repetition_due__isnull=True, then=Value(1)),
                When(repetition_due__lte=now, then=Value(0)),
                default=Value(2),
            )
        )
        .select_related("live_version")
        .order_by("repetition_bucket", "repetition_due", "?")[:count]
    )
    return list(chosen)


def start_practice(
    student,
    *,
    module: Module | None = None,
    topics=(),
    my_year: bool = False,
    count: int = 10,
    mode: str = PracticeSet.Mode.ONE,
) -> PracticeSet:
    if not 1 <= count <= MAX_COUNT:
        raise QuestionError(f"Ask for 1 to {MAX_COUNT} questions.", field="count")
    if mode not in PracticeSet.Mode.values:
        raise QuestionError("Choose one at a time or a block.", field="mode")
    now = timezone.now()
    questions = choose(
        student, pool(student, module=module, topics=topics, my_year=my_year), count, now
    )
    if not questions:
        raise QuestionError("No published questions match that yet; try a wider choice.")
    if module is not None:
        description = module.name
    elif topics:
        description = ", ".join(t.code for t in topics)[:200]
    elif my_year:
        description = f"Year {student.year_number}"
    else:
        description = "All modules"
    with transaction.atomic():
        practice_set = PracticeSet.objects.create(
            student=student, mode=mode, description=description
        )
        PracticeAnswer.objects.bulk_create(
            PracticeAnswer(practice_set=practice_set, position=i, version_id=q.live_version_id)
            for i, q in enumerate(questions, start=1)
        )
    return practice_set


def _schedule(student, question_id: int, correct: bool, now) -> RepetitionSchedule:
    schedule = (
        RepetitionSchedule.objects.select_for_update()
        .filter(student=student, question_id=question_id)
        .first()
    )
    box, due = repetition.next_review(schedule.box if schedule else 0, correct, now)
    if schedule is None:
        return RepetitionSchedule.objects.create(
            student=student, question_id=question_id, box=box, due_at=due, last_answered_at=now
        )
    schedule.box, schedule.due_at, schedule.last_answered_at = box, due, now
    schedule.save(update_fields=["box", "due_at", "last_answered_at"])
    return schedule


def _mark(student, item: PracticeAnswer, letter: str, now) -> PracticeAnswer:
    if item.answered_at is not None:
        raise QuestionError("You already answered this question.")
    if letter not in LETTERS:
        raise QuestionError("Choose one of the options, A to E.", field="choice")
    item.chosen = letter
    item.correct = letter == item.version.answer
    item.answered_at = now
    item.save(update_fields=["chosen", "correct", "answered_at"])
    _schedule(student, item.version.question_id, item.correct, now)
    return item


def _own(student, practice_set: PracticeSet) -> None:
    if practice_set.student_id != student.pk:
        raise QuestionError("This practice set belongs to someone else.")


def answer(student, practice_set: PracticeSet, position: int, letter: str) -> PracticeAnswer:
    """One answer, marked at once; the schedule moves the question."""
    _own(student, practice_set)
    now = timezone.now()
    with transaction.atomic():
        item = (
            PracticeAnswer.objects.select_for_update()
            .select_related("version")
            .filter(practice_set=practice_set, position=position)
            .first()
        )
        if item is None:
            raise QuestionError("There is no such question in this set.")
        item = _mark(student, item, letter, now)
        _finish_if_done(practice_set, now)
    return item


def answer_block(student, practice_set: PracticeSet, choices: dict[int, str]) -> int:
    """Mark a whole block; questions left blank count as wrong. Returns how many were right."""
    _own(student, practice_set)
    now = timezone.now()
    with transaction.atomic():
        items = list(
            PracticeAnswer.objects.select_for_update()
            .select_related("version")
            .filter(practice_set=practice_set, answered_at__isnull=True)
        )
        if not items:
            raise QuestionError("This block is already marked.")
        right = 0
        for item in items:
            letter = choices.get(item.position, "")
            if letter:
                right += _mark(student, item, letter, now).correct
            else:
                item.correct, item.answered_at = False, now
                item.save(update_fields=["correct", "answered_at"])
                _schedule(student, item.version.question_id, False, now)
        _finish_if_done(practice_set, now)
    return right


def _finish_if_done(practice_set: PracticeSet, now) -> None:
    if not practice_set.items.filter(answered_at__isnull=True).exists():
        PracticeSet.objects.filter(pk=practice_set.pk, finished_at__isnull=True).update(
            finished_at=now
        )
