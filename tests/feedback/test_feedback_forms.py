"""Which form a session uses: the round's own form for its kind, else the defaults."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Answer, FeedbackForm, Question
from feedback.selectors.dashboards import committee_dashboard
from feedback.selectors.filters import Filters
from feedback.services.questionnaires import (
    DEFAULT_QUESTIONS,
    copy_form_for_round,
    ensure_default_form,
    form_for_session,
)
from tests.factories.feedback import after_close, give_feedback, past_session
from tests.factories.tutors import RecruitmentRoundFactory

pytestmark = pytest.mark.django_db


def test_the_default_form_is_short_and_the_detailed_set_stays_available():
    form = ensure_default_form()
    keys = list(form.questions.values_list("key", flat=True))
    assert (
        keys
        == [k for k, *_ in DEFAULT_QUESTIONS]
        == ["overall", "knowledge", "explained", "improve"]
    )
    assert ensure_default_form() == form and FeedbackForm.objects.count() == 1
    detailed = ensure_default_form("lecture", detailed=True)
    assert {
        "overall",
        "knowledge",
        "confidence",
        "motivation",
        "pace",
        "relevance",
        "explained",
        "recommend",
        "went_well",
        "improve",
    } <= set(detailed.questions.values_list("key", flat=True))
    assert set(detailed.questions.values_list("type", flat=True)) == {
        "likert",
        "rating",
        "single",
        "multiple",
        "text",
    }


def test_a_round_form_for_the_kind_wins_over_the_defaults():
    old = RecruitmentRoundFactory(applications_open=timezone.now() - timedelta(days=200))
    current = RecruitmentRoundFactory(applications_open=timezone.now() - timedelta(days=30))
    default = ensure_default_form()
    session, _ = past_session(kind="tutorial")
    assert form_for_session(session) == default
    lecture_form = copy_form_for_round(default, current, kind="lecture")
    assert form_for_session(session) == default
    tutorial_form = copy_form_for_round(default, current, kind="tutorial")
    copy_form_for_round(default, old, kind="tutorial")
    assert form_for_session(session) == tutorial_form
    assert lecture_form.questions.count() == len(DEFAULT_QUESTIONS)


def test_an_edited_round_form_is_used_and_reported_by_question_key():
    rnd = RecruitmentRoundFactory(applications_open=timezone.now() - timedelta(days=30))
    form = copy_form_for_round(ensure_default_form(), rnd)
    Question.objects.filter(form=form, key="overall").update(text="How good was it overall?")
    session, students = past_session(attendees=3)
    for s in students:
        give_feedback(s, session, overall=4)
    assert {a.question.form_id for a in Answer.objects.select_related("question")} == {form.pk}
    with after_close():
        dash = committee_dashboard(Filters(round=rnd))
    assert dash.stats[0].text == "How good was it overall?" and dash.stats[0].mean == 4.0
    later = RecruitmentRoundFactory(applications_open=timezone.now() + timedelta(days=10))
    assert committee_dashboard(Filters(round=later)).responses == 0


def test_free_text_skips_review_when_the_setting_is_off(settings):
    settings.MEDED_FEEDBACK_TEXT_REVIEW = False
    session, (student,) = past_session(attendees=1)
    give_feedback(student, session, text="Nice")
    assert Answer.objects.get(value_text="Nice").review == "approved"


def _formset_data(form, **changes):
    questions = list(form.questions.all())
    data = {
        "questions-TOTAL_FORMS": str(len(questions) + 1),
        "questions-INITIAL_FORMS": str(len(questions)),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for i, q in enumerate(questions):
        prefix = f"questions-{i}-"
        data |= {
            prefix + "id": str(q.pk),
            prefix + "form": str(form.pk),
            prefix + "order": str(q.order),
            prefix + "key": q.key,
            prefix + "text": q.text,
            prefix + "type": q.type,
            prefix + "choices_text": "\n".join(q.choices),
            prefix + "anchors_text": "\n".join(q.anchor_labels),
        }
        if q.required:
            data[prefix + "required"] = "on"
        if q.per_tutor:
            data[prefix + "per_tutor"] = "on"
    blank = f"questions-{len(questions)}-"
    data |= {blank + "form": str(form.pk), blank + "order": "0", blank + "required": "on"}
    for key, value in changes.items():
        data[key] = value
    return data


def test_the_committee_edits_a_round_form_on_its_own_page(client):
    from tests.factories.core import CommitteeFactory, UserFactory

    rnd = RecruitmentRoundFactory()
    default = ensure_default_form()
    client.force_login(UserFactory())
    assert client.get(reverse("feedback:forms")).status_code == 403
    client.force_login(CommitteeFactory())
    assert client.get(reverse("feedback:forms")).status_code == 200
    response = client.post(
        reverse("feedback:form_copy"), {"source": default.pk, "round": rnd.pk, "kind": "lecture"}
    )
    copy = FeedbackForm.objects.get(round=rnd, kind="lecture")
    assert response.url == reverse("feedback:form_edit", args=[copy.pk])
    again = client.post(
        reverse("feedback:form_copy"), {"source": default.pk, "round": rnd.pk, "kind": "lecture"}
    )
    assert "already has its own form" in again.content.decode()
    n = copy.questions.count()
    new = f"questions-{n}-"
    data = _formset_data(
        copy,
        **{
            "questions-0-text": "Rate the session overall",
            new + "order": "99",
            new + "key": "venue",
            new + "text": "Which room suited you?",
            new + "type": "single",
            new + "choices_text": "LT1\nLT2",
        },
    )
    assert client.post(reverse("feedback:form_edit", args=[copy.pk]), data).status_code == 302
    assert copy.questions.get(key="overall").text == "Rate the session overall"
    assert copy.questions.get(key="venue").choices == ["LT1", "LT2"]
    bad = _formset_data(copy, **{f"questions-{n + 1}-key": "x"})
    bad["questions-0-anchors_text"] = "one\ntwo"
    page = client.post(reverse("feedback:form_edit", args=[copy.pk]), bad).content.decode()
    assert "exactly five labels" in page


def test_an_answered_question_keeps_its_type_and_cannot_be_deleted(client):
    from tests.factories.core import CommitteeFactory

    session, (student,) = past_session(attendees=1)
    give_feedback(student, session)
    form = form_for_session(session)
    client.force_login(CommitteeFactory())
    url = reverse("feedback:form_edit", args=[form.pk])
    page = client.post(url, _formset_data(form, **{"questions-0-type": "rating"}))
    assert "its type cannot change" in page.content.decode()
    page = client.post(url, _formset_data(form, **{"questions-0-DELETE": "on"}), follow=True)
    assert "cannot be deleted" in page.content.decode()
    assert form.questions.filter(key="overall").exists()


def test_the_committee_gives_a_kind_of_session_its_own_standard_form(client):
    from tests.factories.core import CommitteeFactory

    default = ensure_default_form()
    client.force_login(CommitteeFactory())
    url = reverse("feedback:form_copy")
    response = client.post(url, {"source": default.pk, "round": "", "kind": "clinical_skills"})
    osce = FeedbackForm.objects.get(round=None, kind="clinical_skills")
    assert response.url == reverse("feedback:form_edit", args=[osce.pk])
    assert osce.name == "Standard feedback (clinical skills)"
    assert osce.questions.count() == len(DEFAULT_QUESTIONS)
    again = client.post(url, {"source": default.pk, "round": "", "kind": "clinical_skills"})
    assert "already a standard form for this kind" in again.content.decode()
    assert FeedbackForm.objects.count() == 2
    osce_session, _ = past_session(kind="clinical_skills")
    lecture, _ = past_session(kind="lecture")
    assert form_for_session(osce_session) == osce and form_for_session(lecture) == default
