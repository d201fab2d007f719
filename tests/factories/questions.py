"""Questions, papers and sittings built through the services (the states only they make)."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from sessions_app.questions import bank, exams
from sessions_app.scheduling.models import TeachingSession
from tests.factories.core import CommitteeFactory, TopicFactory, TutorFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

_n = itertools.count(1)


def content(topics=None, answer="B", stem=None, **extra) -> bank.QuestionContent:
    n = next(_n)
    return bank.QuestionContent(
        stem=stem or f"Question {n}: which nerve supplies muscle {n}?",
        options=[f"Option {x} of {n}" for x in "ABCDE"],
        answer=answer,
        explanation=f"Explanation {n}: because of the anatomy.",
        topics=topics or [TopicFactory()],
        **extra,
    )


def draft(author=None, **kw):
    return bank.create_question(author or TutorFactory(), content(**kw))


def published(author=None, reviewer=None, **kw):
    question = bank.create_question(author or TutorFactory(), content(**kw), submit=True)
    bank.review_question(reviewer or CommitteeFactory(), question, "approve")
    question.refresh_from_db()
    return question


def mock_exam_session(starts_at=None, minutes=90, **kw) -> TeachingSession:
    starts_at = starts_at or timezone.now() + timedelta(days=2)
    return TeachingSessionFactory(
        kind=TeachingSession.Kind.MOCK_EXAM,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        capacity=50,
        **kw,
    )


def paper_with(questions, session=None, time_limit=60, committee=None, students=()):
    committee = committee or CommitteeFactory()
    session = session or mock_exam_session()
    paper = exams.create_paper(
        committee, title="Mock paper", session=session, time_limit_minutes=time_limit
    )
    exams.add_questions(committee, paper, [q.pk for q in questions])
    for student in students:
        BookingFactory(session=session, student=student)
    return paper
