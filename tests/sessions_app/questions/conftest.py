from datetime import timedelta

import pytest
from django.utils import timezone

from sessions_app.questions import exams
from tests.factories.core import CommitteeFactory, UserFactory
from tests.factories.questions import mock_exam_session, paper_with, published

from .test_exam_statistics import RESPONSES


@pytest.fixture
def sat_paper(db):
    """The hand-computed sitting of test_exam_statistics, sat through the services, released."""
    committee = CommitteeFactory()
    questions = [published(answer="A") for _ in range(3)]
    start = timezone.now() - timedelta(days=1)
    students = [UserFactory() for _ in RESPONSES]
    paper = paper_with(
        questions, session=mock_exam_session(start), committee=committee, students=students
    )
    items = list(paper.items.order_by("position"))
    for student, answers in zip(students, RESPONSES, strict=True):
        exams.start_attempt(student, paper, now=start)
        for item, letter in zip(items, answers, strict=True):
            exams.save_answer(student, paper, item.pk, letter, now=start + timedelta(minutes=1))
        exams.submit(student, paper, now=start + timedelta(minutes=5))
    exams.release_results(committee, paper)
    return paper, committee
