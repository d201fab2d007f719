"""Practice: choosing questions, immediate feedback, blocks, progress, and the spaced-repetition
schedule with frozen time (wrong comes back soon, mastered rarely)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from sessions_app.questions import practice, repetition
from sessions_app.questions.errors import QuestionError
from sessions_app.questions.models import PracticeSet, RepetitionSchedule
from tests.factories.core import ModuleFactory, TopicFactory, UserFactory
from tests.factories.questions import paper_with, published

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_the_schedule_rule():
    assert repetition.next_review(3, False, T0) == (0, T0 + timedelta(minutes=10))
    assert repetition.next_review(0, True, T0) == (1, T0 + timedelta(days=1))
    assert repetition.next_review(1, True, T0) == (2, T0 + timedelta(days=3))
    assert repetition.next_review(4, True, T0) == (5, T0 + timedelta(days=60))
    assert repetition.next_review(5, True, T0) == (5, T0 + timedelta(days=60))
    assert repetition.is_mastered(5) and not repetition.is_mastered(4)


def _answer_all(student, practice_set, right: set[int]):
    for item in practice_set.items.select_related("version"):
        letter = (
            item.version.answer
            if item.version.question_id in right
            else ("A" if item.version.answer != "A" else "B")
        )
        practice.answer(student, practice_set, item.position, letter)


def test_a_wrong_answer_comes_back_first_the_same_day_and_a_mastered_one_rarely():
    student = UserFactory()
    questions = [published() for _ in range(6)]
    wrong, mastered = questions[0], questions[1]
    with time_machine.travel(T0, tick=False):
        first = practice.start_practice(student, count=6)
        _answer_all(student, first, right={q.pk for q in questions[1:]})
    schedule = RepetitionSchedule.objects.get(student=student, question=wrong)
    assert schedule.box == 0 and schedule.due_at == T0 + timedelta(minutes=10)

    # Ten minutes later the wrong one is due: it leads the next set.
    with time_machine.travel(T0 + timedelta(minutes=11), tick=False):
        again = practice.start_practice(student, count=1)
        assert again.items.get().version.question_id == wrong.pk

    # Master question 1: right five times, each when due.
    when = T0
    for _ in range(4):
        box = RepetitionSchedule.objects.get(student=student, question=mastered)
        when = box.due_at + timedelta(minutes=1)
        with time_machine.travel(when, tick=False):
            s = practice.start_practice(
                student, count=1, topics=[mastered.live_version.topics.get()]
            )
            practice.answer(student, s, 1, mastered.live_version.answer)
    box = RepetitionSchedule.objects.get(student=student, question=mastered)
    assert box.box == 5 and box.due_at == when + timedelta(days=60)

    # A month on, everything else comes before the mastered question.
    with time_machine.travel(when + timedelta(days=30), tick=False):
        order = [
            i.version.question_id for i in practice.start_practice(student, count=6).items.all()
        ]
    assert order[-1] == mastered.pk and len(order) == 6


def test_unseen_questions_come_before_ones_not_yet_due():
    student = UserFactory()
    seen = published()
    with time_machine.travel(T0, tick=False):
        s = practice.start_practice(student, count=1)
        practice.answer(student, s, 1, seen.live_version.answer)
    fresh = published()
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        order = [
            i.version.question_id for i in practice.start_practice(student, count=2).items.all()
        ]
    assert order == [fresh.pk, seen.pk]


def test_the_choice_by_module_topics_and_my_year():
    cardio, renal = ModuleFactory(name="Cardiology"), ModuleFactory(name="Renal")
    heart = published(topics=[TopicFactory(module=cardio, years=[3])])
    kidney = published(topics=[TopicFactory(module=renal, years=[5])])
    student = UserFactory(year_of_study="3")
    by_module = practice.start_practice(student, module=renal, count=5)
    assert [i.version.question_id for i in by_module.items.all()] == [kidney.pk]
    by_year = practice.start_practice(student, my_year=True, count=5)
    assert [i.version.question_id for i in by_year.items.all()] == [heart.pk]
    by_topic = practice.start_practice(
        student, topics=list(heart.live_version.topics.all()), count=5
    )
    assert [i.version.question_id for i in by_topic.items.all()] == [heart.pk]


def test_nothing_to_practise_is_a_clear_refusal():
    with pytest.raises(QuestionError, match="No published questions"):
        practice.start_practice(UserFactory(), count=5)
    with pytest.raises(QuestionError, match="1 to 50"):
        practice.start_practice(UserFactory(), count=0)


def test_questions_on_an_unreleased_exam_paper_are_not_offered_for_practice():
    on_paper, free = published(), published()
    paper = paper_with([on_paper])
    chosen = practice.start_practice(UserFactory(), count=5)
    assert [i.version.question_id for i in chosen.items.all()] == [free.pk]
    paper.results_released_at = paper.session.ends_at
    paper.save()
    assert practice.practisable().filter(pk=on_paper.pk).exists()


def test_one_at_a_time_gives_feedback_and_the_explanation_after_answering():
    question, student = published(answer="D"), UserFactory()
    client = Client()
    client.force_login(student)
    response = client.post(
        reverse("sessions_app:practice_start"),
        {
            "scope": "module",
            "module": question.live_version.topics.get().module_id,
            "count": 5,
            "mode": "one",
        },
    )
    practice_set = PracticeSet.objects.get()
    assert response.url == reverse("sessions_app:practice_set", args=[practice_set.pk])
    url = reverse("sessions_app:practice_question", args=[practice_set.pk, 1])
    before = client.get(url).content.decode()
    assert question.live_version.explanation not in before
    assert "correct answer" not in before
    missing = client.post(url, {})
    assert missing.status_code == 400 and "Choose one of the options" in missing.content.decode()
    client.post(url, {"choice": "B"})
    after = client.get(url).content.decode()
    assert "Not quite: the answer is D." in after
    assert question.live_version.explanation in after
    # answering twice changes nothing
    client.post(url, {"choice": "D"})
    assert practice_set.items.get().chosen == "B"


def test_a_block_is_marked_at_the_end():
    questions = [published(answer="A") for _ in range(3)]
    student = UserFactory()
    practice_set = practice.start_practice(student, count=3, mode="block")
    client = Client()
    client.force_login(student)
    page = client.get(reverse("sessions_app:practice_set", args=[practice_set.pk])).content.decode()
    assert all(q.live_version.explanation not in page for q in questions)
    client.post(
        reverse("sessions_app:practice_mark", args=[practice_set.pk]), {"q1": "A", "q2": "C"}
    )
    page = client.get(reverse("sessions_app:practice_set", args=[practice_set.pk])).content.decode()
    assert "You scored 1 out of 3." in page
    assert all(q.live_version.explanation in page for q in questions)


def test_another_students_practice_set_is_not_found():
    published()
    practice_set = practice.start_practice(UserFactory(), count=1)
    client = Client()
    client.force_login(UserFactory())
    assert (
        client.get(reverse("sessions_app:practice_set", args=[practice_set.pk])).status_code == 404
    )
    url = reverse("sessions_app:practice_question", args=[practice_set.pk, 1])
    assert client.post(url, {"choice": "A"}).status_code == 404


def test_progress_by_topic_with_trend():
    topic = TopicFactory(code="CARD-01", title="ECG")
    questions = [published(topics=[topic], answer="A") for _ in range(10)]
    student = UserFactory()
    s = practice.start_practice(student, count=10)
    for item in s.items.all():  # the first five wrong, the last five right
        practice.answer(student, s, item.position, "B" if item.position <= 5 else "A")
    from sessions_app.questions.selectors import progress_by_topic

    [row] = progress_by_topic(student)
    assert (row["code"], row["answered"], row["correct"], row["percent"]) == ("CARD-01", 10, 5, 50)
    assert row["trend"] == "improving"
    assert len(questions) == 10
