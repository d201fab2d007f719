"""The questions hub and the progress page, visited after a write (nothing remembered), count
and list what they show by statements compiled once per process (questions/selectors.py): the
stations a tutor examines, the member's exams and their progress by topic, as the ORM read them."""

import pytest
from django.utils import timezone

from sessions_app.questions import osce, practice
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory
from tests.support.remembering import cold_compiled, orm_compiles  # noqa: F401 (a fixture)

from .test_question_pages_remembered import published

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
QUESTION_TABLES = ("sessions_app_practiceanswer", "sessions_app_oscestation")
QUESTION_TABLES += ("sessions_app_exampaper",)


def test_a_tutor_finds_the_stations_they_examine_on_a_cold_visit(client, orm_compiles):  # noqa: F811
    examiner = TutorFactory()
    session = TeachingSessionFactory(kind="clinical_skills", tutors=[examiner])
    BookingFactory(session=session, student=UserFactory())
    station = osce.create_station(
        CommitteeFactory(),
        title="Cardiovascular examination",
        scenario="Examine the cardiovascular system.",
        session=session,
        checklist=["Washes hands"],
    )
    client.force_login(examiner)
    client.get("/questions/")
    body, compiled = cold_compiled(client, "/questions/", orm_compiles)
    when = timezone.localtime(session.starts_at).strftime("%a %-d %b %H:%M")
    assert "Stations you examine" in body
    assert f'/questions/osce/{station.pk}/mark/">Cardiovascular examination</a>, {when}' in body
    assert not [sql for sql in compiled if any(t in sql for t in QUESTION_TABLES)], compiled
    client.force_login(UserFactory())
    assert "Stations you examine" not in client.get("/questions/").content.decode()


def test_progress_counts_on_a_cold_visit_as_answered(client, orm_compiles):  # noqa: F811
    question = published(answer="A")
    student = UserFactory()
    code = question.live_version.topics.get().code
    practice_set = practice.start_practice(student, count=1)
    practice.answer(student, practice_set, 1, "B")
    client.force_login(student)
    client.get("/questions/progress/")
    body, compiled = cold_compiled(client, "/questions/progress/", orm_compiles)
    assert code in body and "0%" in body
    assert not [sql for sql in compiled if "sessions_app_practiceanswer" in sql], compiled
