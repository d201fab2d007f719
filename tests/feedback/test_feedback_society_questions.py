"""The short standard form, its honest time estimate, and the society's own questions: asked at
most once a term (terms change at local midnight, GMT or BST), kept apart from the member."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import models
from django.urls import reverse

from feedback.models import (
    FeedbackForm,
    HasAnswered,
    SocietyAnswer,
    SocietyQuestionsAsked,
    SocietyResponse,
)
from feedback.services.questionnaires import ensure_default_form, ensure_society_form
from feedback.services.responses import AnswerInput, society_questions_for, submit_feedback
from feedback.terms import term_of
from tests.factories.feedback import answers_for, attend, past_session
from tests.support import html as parsed

pytestmark = pytest.mark.django_db

WINTER_DAY = datetime(2027, 2, 10, 12, 0, tzinfo=UTC)  # Spring 2027, on GMT
SUMMER_DAY = datetime(2027, 5, 12, 12, 0, tzinfo=UTC)  # Summer 2027, on BST


def society_answers(**values):
    return [
        AnswerInput(q, values.get(q.key, 4 if q.type == "likert" else []))
        for q in ensure_society_form().questions.all()
    ]


@pytest.mark.parametrize(
    ("moment", "term"),
    [
        (datetime(2026, 12, 31, 23, 59, tzinfo=UTC), "Autumn 2026"),  # GMT: still 31 December
        (datetime(2027, 1, 1, 0, 0, tzinfo=UTC), "Spring 2027"),
        (datetime(2027, 3, 31, 22, 59, tzinfo=UTC), "Spring 2027"),  # BST: 23:59 on 31 March
        (datetime(2027, 3, 31, 23, 1, tzinfo=UTC), "Summer 2027"),  # BST: 00:01 on 1 April
        (datetime(2026, 8, 31, 23, 30, tzinfo=UTC), "Autumn 2026"),  # BST: 00:30 on 1 September
    ],
)
def test_a_term_starts_at_local_midnight_on_either_side_of_the_clock_change(moment, term):
    assert term_of(moment) == term


def test_the_standard_form_is_four_questions_and_says_how_long_it_takes(client):
    ensure_default_form()
    session, (student,) = past_session(attendees=1)
    client.force_login(student)
    page = client.get(reverse("feedback:answer", args=[session.pk])).content.decode()
    asked = len(parsed.elements(page, "fieldset")) - 1 + page.count("<textarea")  # less "mode"
    # 4 questions + the society's 3 this term: 10 s + 3 x 8 s + 40 s + 2 x 8 s + 12 s = 110 s
    assert asked == 7
    assert "7 questions, about 2 minutes." in parsed.text(page)
    ensure_society_form().questions.all().delete()
    page = client.get(reverse("feedback:answer", args=[session.pk])).content.decode()
    assert "4 questions, about 1 minute." in parsed.text(page)  # 74 s


def test_the_society_questions_are_asked_once_a_term_and_again_the_next(client):
    ensure_default_form()
    with time_machine.travel(WINTER_DAY, tick=False):
        first, (student,) = past_session(attendees=1)
        second, _ = past_session(attendees=0, days_ago=2)
        attend(second, student)
        client.force_login(student)
        url = reverse("feedback:answer", args=[first.pk])
        assert "The society's questions" in client.get(url).content.decode()
        data = {"mode": "live", "q_overall": "4", "q_knowledge": "5", "q_explained": "4"}
        data |= {"s_supported": "5", "s_community": "2", "s_formats": ["Mock exams"]}
        assert client.post(url, data).status_code == 302
        assert SocietyResponse.objects.get().term == "Spring 2027"
        values = {
            a.question.key: a.value_int or a.value_choices for a in SocietyAnswer.objects.all()
        }
        assert values == {"supported": 5, "community": 2, "formats": ["Mock exams"]}
        other = client.get(reverse("feedback:answer", args=[second.pk])).content.decode()
        assert "The society's questions" not in other
        assert "4 questions, about 1 minute." in parsed.text(other)
    with time_machine.travel(SUMMER_DAY, tick=False):
        assert [q.key for q in society_questions_for(student)] == [
            "supported",
            "community",
            "formats",
        ]


def test_answers_are_kept_apart_from_the_note_that_the_member_was_asked():
    """No column of a society response or answer points at a member or carries a time; the
    note has a random key and no time; skipping every question still counts as asked."""
    for model in (SocietyResponse, SocietyAnswer, SocietyQuestionsAsked):
        assert isinstance(model._meta.pk, models.UUIDField)
        assert not any(isinstance(f, models.DateField) for f in model._meta.fields)
    for model in (SocietyResponse, SocietyAnswer):
        assert all(
            f.related_model is not HasAnswered.user.field.related_model for f in model._meta.fields
        )
    ensure_default_form()
    session, (ann, bob) = past_session(attendees=2)
    submit_feedback(ann, session, "live", answers_for(session), society_answers(supported=5))
    submit_feedback(
        bob, session, "live", answers_for(session), society_answers(supported=None, community=None)
    )
    assert SocietyQuestionsAsked.objects.count() == 2
    assert SocietyResponse.objects.count() == 1  # Bob skipped them all: nothing to keep
    assert society_questions_for(ann) == [] and society_questions_for(bob) == []


def test_a_second_tab_in_the_same_term_keeps_only_the_first_answers():
    ensure_default_form()
    first, (ann,) = past_session(attendees=1)
    second, _ = past_session(attendees=0, days_ago=2)
    attend(second, ann)
    submit_feedback(ann, first, "live", answers_for(first), society_answers(supported=5))
    submit_feedback(ann, second, "live", answers_for(second), society_answers(supported=1))
    assert list(
        SocietyAnswer.objects.filter(question__key="supported").values_list("value_int", flat=True)
    ) == [5]
    assert HasAnswered.objects.filter(user=ann).count() == 2  # the session answers both count


def test_the_society_form_is_not_a_sessions_form():
    default = ensure_default_form()
    society = ensure_society_form()
    session, _ = past_session()
    from feedback.services.questionnaires import form_for_session

    assert form_for_session(session) == default != society
    assert FeedbackForm.objects.filter(society=True).count() == 1
