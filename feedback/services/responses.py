"""Record one member's feedback, anonymously and once; review free text before tutors see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from feedback.models import (
    Answer,
    FeedbackForm,
    HasAnswered,
    Question,
    QuestionType,
    Response,
    ReviewStatus,
    SocietyAnswer,
    SocietyQuestionsAsked,
    SocietyResponse,
)
from feedback.models.responses import YearGroup
from feedback.selectors.eligibility import check
from feedback.terms import term_of
from meded.prepared import Prepared
from meded.roles import is_committee
from sessions_app.models import TeachingSession

from . import FeedbackError
from .questionnaires import ensure_society_form, form_for_session, questions_of


class AlreadyAnswered(FeedbackError):
    pass


@dataclass(frozen=True)
class AnswerInput:
    question: Question
    value: Any  # int, str, or list[str]
    tutor_id: int | None = None


def year_group_of(user) -> str:
    return user.year_of_study if user.year_of_study in "123456" else YearGroup.OTHER


def _validate(item: AnswerInput) -> dict[str, Any]:
    q, value = item.question, item.value
    if q.is_numeric:
        if value in (None, ""):
            return {}
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number not in q.scale:
            raise FeedbackError(f"{q.text}: choose a value from {q.scale[0]} to {q.scale[-1]}.")
        return {"value_int": number, "review": ReviewStatus.APPROVED}
    if q.type == QuestionType.SINGLE:
        if not value:
            return {}
        if value not in q.choices:
            raise FeedbackError(f"{q.text}: choose one of the options.")
        return {"value_choices": [value], "review": ReviewStatus.APPROVED}
    if q.type == QuestionType.MULTIPLE:
        values = [value] if isinstance(value, str) else [v for v in (value or []) if v]
        if any(v not in q.choices for v in values):
            raise FeedbackError(f"{q.text}: choose from the options.")
        return {"value_choices": values, "review": ReviewStatus.APPROVED} if values else {}
    text = (value or "").strip()
    if not text:
        return {}
    review = ReviewStatus.PENDING if settings.MEDED_FEEDBACK_TEXT_REVIEW else ReviewStatus.APPROVED
    return {"value_text": text[:5000], "review": review}


def _answer_rows(session: TeachingSession, form, answers: list[AnswerInput]) -> list[Answer]:
    """Check the answers against the session's form: its questions only, each once (per tutor
    where the question is asked per tutor), every required question answered."""
    questions = {q.pk: q for q in form.questions.all()}
    tutors = {t.pk for t in session.tutors.all()}
    given: set[tuple[int, int | None]] = set()
    rows = []
    for item in answers:
        q = item.question
        if q.pk not in questions:
            raise FeedbackError(
                "The questions have changed since you opened the form; reload it and answer again."
            )
        about = tutors if q.per_tutor and len(tutors) > 1 else {None}
        if item.tutor_id not in about:
            raise FeedbackError(f"{q.text}: answer it about one of the session's tutors.")
        if (q.pk, item.tutor_id) in given:
            raise FeedbackError(f"{q.text}: answer it only once.")
        given.add((q.pk, item.tutor_id))
        values = _validate(item)
        if values:
            rows.append(Answer(question=q, tutor_id=item.tutor_id, **values))
        elif q.required:
            raise FeedbackError(f"{q.text}: this question needs an answer.")
    for q in questions.values():
        about = tutors if q.per_tutor and len(tutors) > 1 else {None}
        if q.required and any((q.pk, t) not in given for t in about):
            raise FeedbackError(f"{q.text}: this question needs an answer.")
    return rows


def society_questions_for(user, now=None) -> list[Question]:
    """The society's own questions, unless this member was asked them this term already."""
    if _ASKED.rows(user.pk, term_of(now)):
        return []
    found = _SOCIETY_FORM.instances()
    return questions_of(found[0] if found else ensure_society_form())


# Asked by every questionnaire shown: compiled once per process.
_ASKED = Prepared(
    lambda user_pk, term: (
        SocietyQuestionsAsked.objects.filter(user=user_pk, term=term).order_by().values("pk")[:1]
    ),
    2,
)
_SOCIETY_FORM = Prepared(lambda: FeedbackForm.objects.filter(society=True)[:1], 0)


def _society_rows(answers: list[AnswerInput]) -> list[SocietyAnswer]:
    form = ensure_society_form()
    questions = {q.pk: q for q in form.questions.all()}
    rows, given = [], set()
    for item in answers:
        if item.question.pk not in questions or item.question.pk in given:
            raise FeedbackError("The society's questions have changed; reload the page.")
        given.add(item.question.pk)
        values = _validate(item)
        values.pop("review", None)
        if values:
            rows.append(SocietyAnswer(question=item.question, **values))
        elif item.question.required:
            raise FeedbackError(f"{item.question.text}: this question needs an answer.")
    return rows


def _record_society(user, rows: list[SocietyAnswer], form, now) -> None:
    """Note that the member was asked this term (once: a second note is refused by the
    database) and keep their answers apart from the note."""
    term = term_of(now)
    try:
        with transaction.atomic():
            SocietyQuestionsAsked.objects.create(user=user, term=term)
    except IntegrityError:
        return  # asked already this term (a second tab): keep the first answers only
    if not rows:
        return
    response = SocietyResponse.objects.create(form=form, term=term, year_group=year_group_of(user))
    for row in rows:
        row.response = response
    SocietyAnswer.objects.bulk_create(rows)
    # as for sessions: every response of the term takes this transaction's row version
    SocietyResponse.objects.filter(term=term).update(term=F("term"))


def submit_feedback(
    user,
    session: TeachingSession,
    mode: str,
    answers: list[AnswerInput],
    society_answers: list[AnswerInput] | None = None,
    *,
    now=None,
) -> Response:
    """Save a response that names nobody, and mark (member, session) as answered, atomically.

    The unique (member, session) constraint makes a second submission, even a concurrent one,
    fail with AlreadyAnswered and leave nothing behind. `society_answers` (None when the
    society's questions were not asked) go apart from the session's response.
    """
    eligibility = check(user, session)
    if not eligibility.allowed:
        raise FeedbackError(eligibility.reason)
    if mode not in eligibility.modes:
        raise FeedbackError("Choose whether you attended live or watched the recording.")
    form = form_for_session(session)
    rows = _answer_rows(session, form, answers)
    society_rows = _society_rows(society_answers) if society_answers is not None else None
    try:
        with transaction.atomic():
            HasAnswered.objects.create(user=user, session=session)
            response = Response.objects.create(
                session=session,
                form=form,
                mode=mode,
                year_group=year_group_of(user),
                submitted_on=timezone.localdate(),
            )
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
            # Rewrite every response of the session in this transaction: they all take its row
            # version, so none can be paired with the HasAnswered row written alongside.
            Response.objects.filter(session=session).update(form=F("form"))
            if society_rows is not None:
                _record_society(user, society_rows, ensure_society_form(), now)
    except IntegrityError as exc:
        raise AlreadyAnswered("You have already given feedback on this session.") from exc
    return response


@transaction.atomic
def review_text(actor, answer_id, decision: str) -> Answer:
    """The committee releases a free-text answer to the tutor, or hides it."""
    if not is_committee(actor):
        raise FeedbackError("Only the committee reviews free-text feedback.")
    if decision not in (ReviewStatus.APPROVED, ReviewStatus.HIDDEN):
        raise FeedbackError("Choose approve or hide.")
    answer = Answer.objects.select_for_update().filter(pk=answer_id).first()
    if answer is None or not answer.value_text:
        raise FeedbackError("That comment no longer exists.")
    answer.review = decision
    answer.save(update_fields=["review"])
    return answer
