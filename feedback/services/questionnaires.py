"""Which feedback form a session uses, the seeded default questions, and per-round copies."""

from __future__ import annotations

from django.db import transaction

from feedback.models import FeedbackForm, Question, QuestionType
from meded.prepared import Prepared
from meded.roles import is_committee
from tutors.models import RecruitmentRound

from . import FeedbackError

QUALITY_ANCHORS = ["Very poor", "Poor", "Acceptable", "Good", "Excellent"]
CONFIDENCE_ANCHORS = [
    "Much less confident",
    "Less confident",
    "No change",
    "More confident",
    "Much more confident",
]

# key, text, type, extra fields. The standard form is short (four questions, about a minute);
# what the society asks about itself is SOCIETY_QUESTIONS, once a term; DETAILED_QUESTIONS is
# the longer set a committee may start a round's form from.
DEFAULT_QUESTIONS: list[tuple[str, str, str, dict]] = [
    ("overall", "Overall quality of the session", "likert", {"anchor_labels": QUALITY_ANCHORS}),
    ("knowledge", "The session improved my knowledge of the topic", "likert", {}),
    ("explained", "The tutor explained things clearly", "likert", {"per_tutor": True}),
    ("improve", "What could be improved?", "text", {"required": False}),
]
SOCIETY_QUESTIONS: list[tuple[str, str, str, dict]] = [
    ("supported", "I feel academically supported by the society", "likert", {"required": False}),
    ("community", "I feel part of a community of learners", "likert", {"required": False}),
    (
        "formats",
        "Which formats would you like more of?",
        "multiple",
        {
            "required": False,
            "choices": ["Lectures", "Small-group tutorials", "OSCE practice", "Mock exams"],
        },
    ),
]
DETAILED_QUESTIONS: list[tuple[str, str, str, dict]] = [
    ("overall", "Overall quality of the session", "likert", {"anchor_labels": QUALITY_ANCHORS}),
    ("knowledge", "The session improved my knowledge of the topic", "likert", {}),
    (
        "confidence",
        "How confident do you now feel about this topic?",
        "likert",
        {"anchor_labels": CONFIDENCE_ANCHORS},
    ),
    ("motivation", "The session motivated me to study this topic further", "likert", {}),
    ("supported", "I feel academically supported by the society", "likert", {}),
    ("community", "I feel part of a community of learners", "likert", {}),
    (
        "pace",
        "How was the pace?",
        "single",
        {"choices": ["Too slow", "About right", "Too fast"]},
    ),
    ("relevance", "The content was relevant to my exams", "likert", {}),
    ("explained", "The tutor explained things clearly", "likert", {"per_tutor": True}),
    ("recommend", "How likely are you to recommend this session to a friend? (1-10)", "rating", {}),
    (
        "formats",
        "Which formats would you like more of?",
        "multiple",
        {
            "required": False,
            "choices": ["Lectures", "Small-group tutorials", "OSCE practice", "Mock exams"],
        },
    ),
    ("went_well", "What went well?", "text", {"required": False}),
    ("improve", "What could be improved?", "text", {"required": False}),
]


def _add_questions(form: FeedbackForm, questions: list[tuple[str, str, str, dict]]) -> None:
    Question.objects.bulk_create(
        Question(form=form, key=key, text=text, type=qtype, order=i, **extra)
        for i, (key, text, qtype, extra) in enumerate(questions, start=1)
    )


@transaction.atomic
def ensure_default_form(kind: str = "", *, detailed: bool = False) -> FeedbackForm:
    """The standard form (for one kind, or for any kind), created with the seeded questions:
    the short set, or the detailed one when asked (an existing form is returned as it is)."""
    form, created = FeedbackForm.objects.get_or_create(
        round=None,
        kind=kind,
        society=False,
        defaults={"name": f"Standard feedback ({kind.replace('_', ' ') or 'any session'})"},
    )
    if created:
        _add_questions(form, DETAILED_QUESTIONS if detailed else DEFAULT_QUESTIONS)
    return form


@transaction.atomic
def ensure_society_form() -> FeedbackForm:
    """The society's own questions, one form (the committee edits it like any other)."""
    form, created = FeedbackForm.objects.get_or_create(
        society=True, defaults={"name": "The society's questions (once a term)"}
    )
    if created:
        _add_questions(form, SOCIETY_QUESTIONS)
    return form


@transaction.atomic
def copy_form_for_round(source: FeedbackForm, round_obj, kind: str = "") -> FeedbackForm:
    """Give a round (or, with no round, the standard set) its own editable copy of a form for a
    session kind: questions copied, keys kept so that reports compare rounds."""
    label = kind.replace("_", " ") or "any session"
    name = f"Feedback for {label} ({round_obj})" if round_obj else f"Standard feedback ({label})"
    form = FeedbackForm.objects.create(name=name, round=round_obj, kind=kind)
    Question.objects.bulk_create(
        Question(
            form=form,
            key=q.key,
            order=q.order,
            text=q.text,
            type=q.type,
            choices=q.choices,
            anchor_labels=q.anchor_labels,
            required=q.required,
            per_tutor=q.per_tutor,
        )
        for q in source.questions.all()
    )
    return form


def round_for_session(session):
    """The recruitment round a session belongs to: the latest round opened before it started."""
    found = _ROUND_FOR.instances(session.starts_at)
    return found[0] if found else None


def form_for_session(session) -> FeedbackForm:
    """Most specific first: (round, kind), (round, any), (default, kind), (default, any)."""
    rnd = round_for_session(session)
    candidates = [(rnd, session.kind), (rnd, "")] if rnd else []
    candidates += [(None, session.kind), (None, "")]
    for round_obj, kind in candidates:
        if round_obj is None:
            found = _STANDARD_FORM.instances(kind)
        else:
            found = _ROUND_FORM.instances(round_obj.pk, kind)
        if found:
            return found[0]
    return ensure_default_form("")


def questions_of(form: FeedbackForm) -> list[Question]:
    return _QUESTIONS.instances(form.pk)


# Every questionnaire shown and every answer sent asks (most often on a cold page, at the start
# of term): compiled once per process, each `.first()` as the model's ordering takes it.
_ROUND_FOR = Prepared(
    lambda starts: RecruitmentRound.objects.filter(applications_open__lte=starts).order_by(
        "-applications_open"
    )[:1],
    1,
)
_ROUND_FORM = Prepared(
    lambda round_pk, kind: FeedbackForm.objects.filter(round=round_pk, kind=kind, society=False)[
        :1
    ],
    2,
)
_STANDARD_FORM = Prepared(
    lambda kind: FeedbackForm.objects.filter(round__isnull=True, kind=kind, society=False)[:1], 1
)
_QUESTIONS = Prepared(lambda form_pk: Question.objects.filter(form=form_pk), 1)


__all__ = [
    "QuestionType",
    "copy_form_for_round",
    "ensure_default_form",
    "ensure_society_form",
    "form_for_session",
]


def copy_for_round_checked(actor, source: FeedbackForm, round_obj, kind: str) -> FeedbackForm:
    """The committee gives a round its own form for a kind (or for any kind), once."""
    if not is_committee(actor):
        raise FeedbackError("Only the committee edits feedback forms.")
    if FeedbackForm.objects.filter(round=round_obj, kind=kind, society=False).exists():
        if round_obj is None:
            raise FeedbackError("There is already a standard form for this kind; edit it instead.")
        raise FeedbackError("That round already has its own form for this kind; edit it instead.")
    return copy_form_for_round(source, round_obj, kind=kind)


@transaction.atomic
def save_questions(actor, form: FeedbackForm, formset) -> None:
    """Save the committee's edits; answered questions keep their type and cannot be deleted."""
    if not is_committee(actor):
        raise FeedbackError("Only the committee edits feedback forms.")
    instances = formset.save(commit=False)
    for obj in formset.deleted_objects:
        if obj.answers.exists():
            raise FeedbackError(f"“{obj.text}” already has answers; it cannot be deleted.")
        obj.delete()
    for question in instances:
        question.form = form
        question.save()
