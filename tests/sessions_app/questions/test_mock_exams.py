"""Sitting a mock exam: who may sit, opening at the start time, the clock on both sides of the
GMT/BST change, answers saved as given, late answers and submissions refused by the server, one
attempt, results only once released, and never the answer of an exam question before then."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from sessions_app.questions import exams
from sessions_app.questions.errors import QuestionError
from sessions_app.questions.models import ExamAnswer, ExamAttempt
from tests.factories.core import CommitteeFactory, ModuleFactory, TopicFactory, UserFactory
from tests.factories.questions import mock_exam_session, paper_with, published
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


# 29 March 2026 the clocks go forward (01:00 UTC), 25 October back (01:00 UTC).
SITTINGS = [
    pytest.param(local(2026, 3, 28, 9, 0), id="GMT-before-spring-change"),
    pytest.param(local(2026, 3, 29, 9, 0), id="BST-after-spring-change"),
    pytest.param(local(2026, 10, 24, 9, 0), id="BST-before-autumn-change"),
    pytest.param(local(2026, 10, 25, 9, 0), id="GMT-after-autumn-change"),
]


@pytest.fixture
def student():
    return UserFactory()


@pytest.mark.parametrize("opens", SITTINGS)
def test_the_exam_opens_at_the_local_start_time_and_closes_after_the_time_limit(opens, student):
    session = mock_exam_session(opens, minutes=90)
    paper = paper_with(
        [published(), published()], session=session, time_limit=60, students=[student]
    )
    item = paper.items.first()
    early = time_machine.travel(opens - timedelta(seconds=1), tick=False)
    with early, pytest.raises(QuestionError, match="The exam opens at 09:00"):
        exams.start_attempt(student, paper)
    with time_machine.travel(opens, tick=False):
        attempt = exams.start_attempt(student, paper)
    assert attempt.deadline == opens + timedelta(minutes=60)
    assert attempt.deadline.astimezone(LONDON).hour == 10
    with time_machine.travel(opens + timedelta(minutes=60, seconds=4), tick=False):
        exams.save_answer(student, paper, item.pk, "B")  # inside the network grace
    with time_machine.travel(opens + timedelta(minutes=60, seconds=6), tick=False):
        with pytest.raises(QuestionError, match="Time is up"):
            exams.save_answer(student, paper, item.pk, "C")
        with pytest.raises(QuestionError, match="already submitted"):
            exams.submit(student, paper)
    attempt.refresh_from_db()
    assert attempt.auto_submitted and attempt.submitted_at == attempt.deadline
    assert ExamAnswer.objects.get().chosen == "B"


def test_a_sitting_across_the_clock_change_lasts_the_real_time_limit(student):
    opens = local(2026, 3, 29, 0, 30)  # GMT; 60 minutes later it is 02:30 BST
    paper = paper_with(
        [published()],
        session=mock_exam_session(opens, minutes=120),
        time_limit=60,
        students=[student],
    )
    with time_machine.travel(opens, tick=False):
        attempt = exams.start_attempt(student, paper)
    assert attempt.deadline - attempt.started_at == timedelta(minutes=60)
    assert attempt.deadline.astimezone(LONDON).strftime("%H:%M") == "02:30"


def test_a_late_submission_is_refused_and_the_saved_answers_are_submitted(student):
    opens = local(2026, 10, 25, 9)
    paper = paper_with(
        [published(answer="A")], session=mock_exam_session(opens), time_limit=30, students=[student]
    )
    item = paper.items.get()
    with time_machine.travel(opens, tick=False):
        exams.start_attempt(student, paper)
        exams.save_answer(student, paper, item.pk, "A")
    late = time_machine.travel(opens + timedelta(minutes=31), tick=False)
    with late, pytest.raises(QuestionError, match="Time was up"):
        exams.submit(student, paper)
    attempt = ExamAttempt.objects.get()
    assert attempt.auto_submitted and attempt.score == 1


def test_late_starters_get_only_until_the_session_ends(student):
    opens = local(2026, 3, 28, 9)
    paper = paper_with(
        [published()],
        session=mock_exam_session(opens, minutes=60),
        time_limit=60,
        students=[student],
    )
    with time_machine.travel(opens + timedelta(minutes=45), tick=False):
        attempt = exams.start_attempt(student, paper)
    assert attempt.deadline == opens + timedelta(minutes=60)
    with time_machine.travel(opens + timedelta(minutes=61), tick=False):
        other = UserFactory()
        BookingFactory(session=paper.session, student=other)
        with pytest.raises(QuestionError, match="The sitting has ended"):
            exams.start_attempt(other, paper)


def test_overdue_attempts_are_closed_by_the_periodic_job(student):
    opens = local(2026, 3, 28, 9)
    paper = paper_with(
        [published()], session=mock_exam_session(opens), time_limit=20, students=[student]
    )
    with time_machine.travel(opens, tick=False):
        exams.start_attempt(student, paper)
    assert exams.close_overdue(opens + timedelta(minutes=19)) == 0
    assert exams.close_overdue(opens + timedelta(minutes=21)) == 1
    assert exams.close_overdue(opens + timedelta(minutes=22)) == 0
    assert ExamAttempt.objects.get().auto_submitted


def test_only_booked_students_sit_and_each_once(student):
    opens = local(2026, 3, 28, 9)
    paper = paper_with([published()], session=mock_exam_session(opens), students=[student])
    waiting = UserFactory()
    BookingFactory(session=paper.session, student=waiting, status="waiting")
    with time_machine.travel(opens + timedelta(minutes=1), tick=False):
        for outsider in (UserFactory(), waiting):
            with pytest.raises(QuestionError, match="confirmed place"):
                exams.start_attempt(outsider, paper)
        first = exams.start_attempt(student, paper)
        assert exams.start_attempt(student, paper) == first
        exams.submit(student, paper)
        assert exams.start_attempt(student, paper) == first
        with pytest.raises(QuestionError, match="already submitted"):
            exams.submit(student, paper)
        with pytest.raises(QuestionError, match="can no longer change"):
            exams.save_answer(student, paper, paper.items.get().pk, "A")
    assert ExamAttempt.objects.count() == 1


def test_the_paper_must_belong_to_a_mock_exam_session_and_fit_in_it():
    committee = CommitteeFactory()
    lecture = TeachingSessionFactory()
    with pytest.raises(QuestionError, match="Mock exam"):
        exams.create_paper(committee, title="P", session=lecture)
    short = mock_exam_session(minutes=30)
    with pytest.raises(QuestionError, match="longer than the session"):
        exams.create_paper(committee, title="P", session=short, time_limit_minutes=45)
    with pytest.raises(QuestionError, match="Only the committee"):
        exams.create_paper(UserFactory(), title="P", session=short, time_limit_minutes=10)


def test_a_blueprint_draws_n_per_module_and_says_when_there_are_too_few():
    cardio, renal = ModuleFactory(name="Cardiology"), ModuleFactory(name="Renal")
    for _ in range(3):
        published(topics=[TopicFactory(module=cardio)])
    published(topics=[TopicFactory(module=renal)])
    committee = CommitteeFactory()
    paper = exams.create_paper(committee, title="P", session=mock_exam_session())
    assert exams.draw_blueprint(committee, paper, {cardio: 2, renal: 1}, seed=1) == 3
    modules = [i.version.topics.get().module for i in paper.items.all()]
    assert modules.count(cardio) == 2 and modules.count(renal) == 1
    with pytest.raises(QuestionError, match="Renal has 0 published question"):
        exams.draw_blueprint(committee, paper, {renal: 1})


def test_fixed_questions_must_be_published():
    committee = CommitteeFactory()
    paper = exams.create_paper(committee, title="P", session=mock_exam_session())
    from tests.factories.questions import draft

    private = draft()
    with pytest.raises(QuestionError, match=f"Q{private.pk}"):
        exams.add_questions(committee, paper, [published().pk, private.pk])
    assert paper.items.count() == 0


def _sitting(student, n=3):
    opens = local(2026, 3, 29, 9)
    questions = [published(answer="C", stem=f"Secret stem {i}?") for i in range(n)]
    paper = paper_with(questions, session=mock_exam_session(opens), students=[student])
    return opens, paper, questions


def test_answers_are_saved_as_given_and_survive_a_reload(student):
    opens, paper, _ = _sitting(student)
    client = Client()
    client.force_login(student)
    url = reverse("sessions_app:exam_sit", args=[paper.pk])
    items = list(paper.items.all())
    with time_machine.travel(opens + timedelta(minutes=1), tick=False):
        client.post(url)
        response = client.post(
            reverse("sessions_app:exam_answer", args=[paper.pk]),
            {"item": items[0].pk, "choice": "E"},
            HTTP_ACCEPT="application/json",
        )
        assert json.loads(response.content) | {"saved_at": None} == {
            "saved": True,
            "item": items[0].pk,
            "choice": "E",
            "saved_at": None,
        }
        client.post(
            reverse("sessions_app:exam_answer", args=[paper.pk]),
            {"item": items[0].pk, "choice": "B"},
            HTTP_ACCEPT="application/json",
        )
        page = client.get(url).content.decode()
    assert (
        f'id="item-{items[0].pk}-B" value="B" data-item="{items[0].pk}" checked'
        in (page.replace(" checked data-item", " data-item"))
        or f'value="B" checked data-item="{items[0].pk}"' in page
    )
    assert "1 of 3 answered" in page
    assert ExamAnswer.objects.get().chosen == "B"


def test_a_late_answer_is_refused_in_the_json_response(student):
    opens, paper, _ = _sitting(student)
    client = Client()
    client.force_login(student)
    with time_machine.travel(opens, tick=False):
        client.post(reverse("sessions_app:exam_sit", args=[paper.pk]))
    with time_machine.travel(opens + timedelta(minutes=61), tick=False):
        response = client.post(
            reverse("sessions_app:exam_answer", args=[paper.pk]),
            {"item": paper.items.first().pk, "choice": "A"},
            HTTP_ACCEPT="application/json",
        )
    assert response.status_code == 409
    assert json.loads(response.content) == {
        "saved": False,
        "error": "Time is up: this answer arrived late and was not saved.",
    }
    assert not ExamAnswer.objects.exists()


def test_a_student_never_sees_an_exam_answer_before_results_are_released(student):
    opens, paper, questions = _sitting(student)
    committee = CommitteeFactory()
    client = Client()
    client.force_login(student)
    items = list(paper.items.all())
    secrets = [q.live_version.explanation for q in questions]
    seen = []
    with time_machine.travel(opens + timedelta(minutes=2), tick=False):
        seen.append(client.post(reverse("sessions_app:exam_sit", args=[paper.pk])))
        seen.append(client.get(reverse("sessions_app:exam_sit", args=[paper.pk])))
        for item in items:
            seen.append(
                client.post(
                    reverse("sessions_app:exam_answer", args=[paper.pk]),
                    {"item": item.pk, "choice": "A"},
                    HTTP_ACCEPT="application/json",
                )
            )
        sit_page = seen[1].content.decode()
        seen.append(
            client.post(
                reverse("sessions_app:exam_save_all", args=[paper.pk]), {"finish": "1"}, follow=True
            )
        )
        for name in ("questions", "exam_mine", "practice_progress"):
            seen.append(client.get(reverse(f"sessions_app:{name}")))
        seen.append(client.get("/"))
        seen.append(client.get(reverse("sessions_app:exam_results", args=[paper.pk])))
        for q in questions:
            seen.append(client.get(reverse("sessions_app:question_detail", args=[q.pk])))
        seen.append(client.get(reverse("sessions_app:exam_pdf", args=[paper.pk])))
        seen.append(client.get(reverse("sessions_app:exam_statistics", args=[paper.pk])))
        seen.append(client.get(reverse("sessions_app:exam_manage", args=[paper.pk])))
    for response in seen:
        body = response.content.decode(errors="replace")
        assert not any(secret in body for secret in secrets), response.request["PATH_INFO"]
        for marker in ("sba-correct", "(correct answer)", "Not quite", '"correct"', "Correct."):
            assert marker not in body, (response.request["PATH_INFO"], marker)
    # The options of each question are marked up alike: nothing tells the key apart.
    assert sit_page.count("sba-correct") == 0 and sit_page.count('class="sba-option"') == 15
    # After the release the same student sees score, distribution and explanations.
    with time_machine.travel(opens + timedelta(hours=3), tick=False):
        exams.release_results(committee, paper)
        results = client.get(reverse("sessions_app:exam_results", args=[paper.pk])).content.decode()
    assert "You scored 0 out of 3." in results
    assert all(secret in results for secret in secrets)
    assert "How the cohort scored" in results


def test_results_are_released_only_after_the_sitting_and_only_by_the_committee(student):
    opens, paper, _ = _sitting(student)
    committee = CommitteeFactory()
    early = time_machine.travel(opens + timedelta(minutes=10), tick=False)
    with early, pytest.raises(QuestionError, match="after the sitting has ended"):
        exams.release_results(committee, paper)
    with time_machine.travel(opens + timedelta(hours=3), tick=False):
        with pytest.raises(QuestionError, match="Only the committee"):
            exams.release_results(student, paper)
        client = Client()
        client.force_login(student)
        response = client.post(
            reverse("sessions_app:exam_manage", args=[paper.pk]), {"action": "release"}
        )
        assert response.status_code == 403
        paper.refresh_from_db()
        assert not paper.released


def test_committee_pages_for_each_role(sat_paper):
    paper, committee = sat_paper
    names = ["exam_manage", "exam_statistics", "exam_pdf"]
    for role, user in [("student", UserFactory()), ("tutor", None), ("committee", committee)]:
        client = Client()
        if role == "tutor":
            from tests.factories.core import TutorFactory

            user = TutorFactory()
        client.force_login(user)
        for name in names:
            status = client.get(reverse(f"sessions_app:{name}", args=[paper.pk])).status_code
            assert status == (200 if role == "committee" else 403), (role, name)
    anonymous = Client().get(reverse("sessions_app:exam_sit", args=[paper.pk]))
    assert anonymous.status_code == 302


def test_the_pdf_of_the_paper(sat_paper):
    paper, committee = sat_paper
    client = Client()
    client.force_login(committee)
    response = client.get(reverse("sessions_app:exam_pdf", args=[paper.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    keyed = client.get(reverse("sessions_app:exam_pdf", args=[paper.pk]) + "?key=1")
    assert len(keyed.content) > len(response.content)


def test_someone_who_did_not_sit_has_no_results(sat_paper):
    paper, _ = sat_paper
    client = Client()
    client.force_login(UserFactory())
    assert client.get(reverse("sessions_app:exam_results", args=[paper.pk])).status_code == 404
