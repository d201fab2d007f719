"""Races on PostgreSQL with real threads: two tabs starting the same exam make one attempt; an
answer racing the submission is either saved before it or refused, never lost after it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sessions_app.questions import exams
from sessions_app.questions.errors import QuestionError
from sessions_app.questions.models import ExamAnswer, ExamAttempt
from tests.factories.core import UserFactory
from tests.factories.questions import mock_exam_session, paper_with, published
from tests.support.concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _open_paper(student, n=1):
    session = mock_exam_session(timezone.now() - timedelta(minutes=1))
    return paper_with([published() for _ in range(n)], session=session, students=[student])


def test_eight_tabs_starting_at_once_make_one_attempt():
    student = UserFactory()
    paper = _open_paper(student)
    outcome = run_together([lambda: exams.start_attempt(student, paper).pk] * 8)
    assert outcome.errors == []
    assert len(set(outcome.done)) == 1
    assert ExamAttempt.objects.count() == 1


def test_answers_racing_the_submission_are_counted_or_refused_never_lost():
    student = UserFactory()
    paper = _open_paper(student, n=6)
    exams.start_attempt(student, paper)
    items = list(paper.items.values_list("pk", flat=True))

    def answer(item):
        return lambda: ("saved", exams.save_answer(student, paper, item, "B").item_id)

    calls = [answer(item) for item in items] + [lambda: ("submitted", exams.submit(student, paper))]
    outcome = run_together(calls, refused_by=(QuestionError,))
    assert outcome.errors == []
    saved = {item for kind, item in outcome.done if kind == "saved"}
    attempt = ExamAttempt.objects.get()
    assert attempt.submitted_at is not None
    stored = set(ExamAnswer.objects.values_list("item_id", flat=True))
    assert stored == saved  # every acknowledged answer is kept; refused ones were not stored
    assert len(saved) + len(outcome.refused) == len(items) + 1 - 1
    assert attempt.score == sum(
        1
        for a in ExamAnswer.objects.select_related("item__version")
        if a.item.version.answer == "B"
    )
