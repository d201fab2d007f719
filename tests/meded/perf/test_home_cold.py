"""The home page when nothing is remembered (the first visit after any write): every section
still shows its lines, in a bounded number of statements whatever the member's history, and
the reads it makes are compiled once per process (meded/prepared.py), not on every visit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories.core import TutorFactory, UserFactory
from tests.factories.feedback import attend, past_session
from tests.factories.questions import mock_exam_session, paper_with, published
from tests.factories.sessions import BookingFactory, TeachingSessionFactory
from tests.factories.tutors import ApplicationFactory, RecruitmentRoundFactory
from tests.support.remembering import cold_visit, orm_compiles  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]


def later(title: str, days: int = 10, **kw):
    starts = (timezone.now() + timedelta(days=days)).replace(microsecond=0)
    return TeachingSessionFactory(
        title=title, starts_at=starts, ends_at=starts + timedelta(hours=1), **kw
    )


def busy_tutor(history: int = 0):
    """A tutor with something in every section: teaching, a place offered, a waiting list,
    feedback to give, an application, a mock exam; and `history` past bookings."""
    tutor = TutorFactory()
    taught = later("Renal physiology I teach", tutors=[tutor])
    BookingFactory.create_batch(2, session=taught)
    BookingFactory(
        student=tutor,
        status="offered",
        offer_expires_at=timezone.now() + timedelta(hours=2),
        session=later("Offered to me", days=12),
    )
    full = later("Cardiac cycle revision", days=11, capacity=1)
    BookingFactory(session=full)
    BookingFactory(session=full, student=UserFactory(), status="waiting")
    BookingFactory(session=full, student=tutor, status="waiting")
    attend(past_session(title="Acid-base workshop")[0], tutor)
    ApplicationFactory(
        round=RecruitmentRoundFactory(name=f"Spring tutors {history}"),
        applicant=tutor,
        status="shortlisted",
    )
    paper = paper_with([published()], mock_exam_session(timezone.now() + timedelta(days=3)))
    BookingFactory(session=paper.session, student=tutor)
    past = timezone.now() - timedelta(days=40)
    for _ in range(history):
        session = TeachingSessionFactory(starts_at=past, ends_at=past + timedelta(hours=1))
        BookingFactory(session=session, student=tutor, attended=True)
    return tutor


def test_a_cold_home_shows_every_section(client):
    client.force_login(busy_tutor())
    page, _ = cold_visit(client, "/")
    assert "Renal physiology I teach" in page and "2 booked" in page
    assert "A place is waiting for you" in page and "Offered to me" in page
    assert "Cardiac cycle revision" in page and "waiting list, number 2" in page
    assert "Feedback awaiting you" in page and "Acid-base workshop" in page
    assert "Spring tutors 0:" in page and "Book your interview" in page
    assert "Mock paper" in page and "opens " in page


def test_a_cold_home_runs_few_statements_whatever_the_history(client):
    client.force_login(busy_tutor(history=1))
    _page, small = cold_visit(client, "/")
    client.force_login(busy_tutor(history=25))
    _page, large = cold_visit(client, "/")
    assert len(large) == len(small)
    # the session, the member and their roles; 5 digests of their bookings (meded.remember's
    # Cover: taken, then taken again after computing); one read per part of a section: this
    # week, teaching, their bookings, their statuses, places, applications, the open round,
    # exams, a reviewer's row, small groups (2), feedback
    assert len(small) <= 20, "\n".join(small)


def test_a_cold_home_compiles_almost_nothing_once_warm_in_the_process(
    client,
    orm_compiles,  # noqa: F811 (the fixture)
):
    client.force_login(busy_tutor())
    cold_visit(client, "/")  # the first visit in this process compiles the Prepared reads
    orm_compiles.clear()
    cold_visit(client, "/")
    # only the member and their session and roles (Django's own reads), never a section's
    assert len(orm_compiles) <= 3, "\n".join(orm_compiles)
