"""Writing and reviewing questions: drafts, versions, review decisions, retiring, students'
flags and who may review. Every state of a question changes here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from meded.roles import is_committee, is_tutor

from .errors import QuestionError
from .models import LETTERS, Question, QuestionFlag, QuestionReviewer, QuestionVersion, Review
from .permissions import can_edit, can_review, can_write, is_reviewer

IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
IMAGE_MAX_BYTES = 2 * 1024 * 1024


@dataclass
class QuestionContent:
    """What an author writes; one version's worth."""

    stem: str
    options: list[str]
    answer: str
    explanation: str
    topics: list = field(default_factory=list)
    year: object | None = None
    reference: str = ""
    image: object | None = None
    image_alt: str = ""
    keep_image_from: QuestionVersion | None = None


def check_content(content: QuestionContent) -> None:
    """The rules of a well-formed single-best-answer question, with the field each is about."""
    if not content.stem.strip():
        raise QuestionError("Write the question's stem.", field="stem")
    if len(content.options) != 5:
        raise QuestionError("A question has exactly five options, A to E.", field="option_a")
    for letter, text in zip(LETTERS, content.options, strict=False):
        if not (text or "").strip():
            raise QuestionError(f"Option {letter} is empty.", field=f"option_{letter.lower()}")
    stripped = [o.strip().casefold() for o in content.options]
    if len(set(stripped)) != 5:
        raise QuestionError("Two options say the same thing; each must differ.", field="option_a")
    if content.answer not in LETTERS:
        raise QuestionError("Choose the correct answer, A to E.", field="answer")
    if not content.explanation.strip():
        raise QuestionError("Explain why the answer is right.", field="explanation")
    if not content.topics:
        raise QuestionError("Map the question to at least one curriculum topic.", field="topics")
    image = content.image
    if image:
        name = getattr(image, "name", "").lower()
        if not any(name.endswith(ext) for ext in IMAGE_TYPES):
            raise QuestionError("The image must be a PNG, JPEG, GIF or WebP file.", field="image")
        if getattr(image, "size", 0) > IMAGE_MAX_BYTES:
            raise QuestionError("The image is larger than 2 MB.", field="image")
        if not content.image_alt.strip():
            raise QuestionError("Describe the image for screen-reader users.", field="image_alt")


def _write_version(question: Question, author, content: QuestionContent) -> QuestionVersion:
    number = (question.latest_version.number + 1) if question.latest_version_id else 1
    version = QuestionVersion(
        question=question,
        number=number,
        stem=content.stem.strip(),
        answer=content.answer,
        explanation=content.explanation.strip(),
        reference=content.reference.strip(),
        year=content.year,
        image_alt=content.image_alt.strip(),
        created_by=author,
    )
    for letter, text in zip(LETTERS, content.options, strict=False):
        setattr(version, f"option_{letter.lower()}", text.strip())
    if content.image:
        version.image = content.image
    elif content.keep_image_from is not None and content.keep_image_from.image:
        version.image = content.keep_image_from.image.name
        version.image_alt = version.image_alt or content.keep_image_from.image_alt
    version.save()
    version.topics.set(content.topics)
    question.latest_version = version
    return version


def create_question(author, content: QuestionContent, *, submit: bool = False) -> Question:
    """A new draft, private to its author (or sent straight to review with `submit`)."""
    if not can_write(author):
        raise QuestionError("Only tutors and the committee write questions.")
    check_content(content)
    with transaction.atomic():
        question = Question.objects.create(
            author=author, status=Question.Status.IN_REVIEW if submit else Question.Status.DRAFT
        )
        _write_version(question, author, content)
        question.save(update_fields=["latest_version", "updated"])
    return question


def edit_question(actor, question: Question, content: QuestionContent) -> QuestionVersion:
    """A new version. A published question goes back to review; its live version stays in use
    (and keeps its answers) until the new one is approved."""
    if not can_edit(actor, question):
        raise QuestionError("You cannot edit this question (only its author or the committee).")
    check_content(content)
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        if question.status in (Question.Status.RETIRED, Question.Status.REJECTED):
            raise QuestionError("A retired or rejected question cannot be edited.")
        if content.image is None and content.keep_image_from is None:
            content.keep_image_from = question.latest_version
        version = _write_version(question, actor, content)
        if question.status == Question.Status.PUBLISHED:
            question.status = Question.Status.IN_REVIEW
        question.save(update_fields=["latest_version", "status", "updated"])
    return version


def submit_for_review(actor, question: Question) -> Question:
    if question.author_id != actor.pk:
        raise QuestionError("Only the author sends a question to review.")
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        if question.status not in (Question.Status.DRAFT, Question.Status.RETURNED):
            raise QuestionError(f"This question is {question.get_status_display().lower()}.")
        question.status = Question.Status.IN_REVIEW
        question.save(update_fields=["status", "updated"])
    return question


def review_question(reviewer, question: Question, decision: str, comments: str = "") -> Review:
    """Approve (the reviewed version goes live), return with comments, or reject."""
    if not can_review(reviewer, question):
        if question.author_id == reviewer.pk:
            raise QuestionError("You wrote this question, so someone else must review it.")
        raise QuestionError("Only the committee and question reviewers review questions.")
    if decision not in Review.Decision.values:
        raise QuestionError("Choose approve, return or reject.", field="decision")
    if decision != Review.Decision.APPROVE and not comments.strip():
        raise QuestionError("Tell the author why, so they can act on it.", field="comments")
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        if question.status != Question.Status.IN_REVIEW:
            raise QuestionError("This question is not awaiting review (someone may have done it).")
        review = Review.objects.create(
            question=question,
            version_id=question.latest_version_id,
            reviewer=reviewer,
            decision=decision,
            comments=comments.strip(),
        )
        if decision == Review.Decision.APPROVE:
            question.status = Question.Status.PUBLISHED
            question.live_version_id = question.latest_version_id
        elif decision == Review.Decision.RETURN:
            question.status = Question.Status.RETURNED
        else:
            question.status = (
                Question.Status.PUBLISHED if question.live_version_id else Question.Status.REJECTED
            )
            if question.live_version_id:  # a rejected edit: the live version stays
                question.latest_version_id = question.live_version_id
        question.save(update_fields=["status", "live_version", "latest_version", "updated"])
    return review


def retire_question(actor, question: Question) -> Question:
    """Out of practice and new papers; kept, with every answer given to it, in history."""
    if not (is_committee(actor) or question.author_id == actor.pk):
        raise QuestionError("Only the author or the committee retire a question.")
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        question.status = Question.Status.RETIRED
        question.save(update_fields=["status", "updated"])
    return question


def flag_question(student, question: Question, reason: str, comment: str) -> QuestionFlag:
    """A student's report goes to the review queue with the version they saw."""
    question = Question.objects.get(pk=question.pk)
    if not question.in_use:
        raise QuestionError("This question is no longer in use.")
    if reason not in QuestionFlag.Reason.values or reason == QuestionFlag.Reason.STATISTICS:
        raise QuestionError("Choose what is wrong with the question.", field="reason")
    if not comment.strip():
        raise QuestionError("Say what is wrong, so the reviewer can fix it.", field="comment")
    if len(comment) > 2000:
        raise QuestionError("Keep the comment under 2000 characters.", field="comment")
    return QuestionFlag.objects.create(
        question=question,
        version_id=question.live_version_id,
        raised_by=student,
        reason=reason,
        comment=comment.strip(),
    )


def flag_from_statistics(question: Question, comment: str) -> QuestionFlag:
    """A mock exam's statistics sent this question to the review queue (once while open)."""
    existing = QuestionFlag.objects.filter(
        question=question, reason=QuestionFlag.Reason.STATISTICS, resolved_at__isnull=True
    ).first()
    if existing:
        return existing
    return QuestionFlag.objects.create(
        question=question,
        version_id=question.live_version_id or question.latest_version_id,
        reason=QuestionFlag.Reason.STATISTICS,
        comment=comment,
    )


def resolve_flag(reviewer, flag: QuestionFlag) -> QuestionFlag:
    if not can_review(reviewer, flag.question):
        raise QuestionError("Only a reviewer who did not write the question resolves its flags.")
    with transaction.atomic():
        flag = QuestionFlag.objects.select_for_update().get(pk=flag.pk)
        if flag.resolved_at is None:
            flag.resolved_at = timezone.now()
            flag.resolved_by = reviewer
            flag.save(update_fields=["resolved_at", "resolved_by"])
    return flag


def set_reviewer(committee_member, tutor, on: bool) -> None:
    """The committee marks (or unmarks) a tutor as question reviewer; never oneself."""
    if not is_committee(committee_member):
        raise QuestionError("Only the committee names question reviewers.")
    if tutor.pk == committee_member.pk:
        raise QuestionError("Someone else on the committee must change your own rights.")
    if on and not is_tutor(tutor):
        raise QuestionError(f"{tutor} is not a tutor.")
    if on:
        QuestionReviewer.objects.get_or_create(
            user=tutor, defaults={"granted_by": committee_member}
        )
    else:
        QuestionReviewer.objects.filter(user=tutor).delete()
    if hasattr(tutor, "_meded_question_reviewer"):
        del tutor._meded_question_reviewer


__all__ = [
    "QuestionContent",
    "create_question",
    "edit_question",
    "flag_question",
    "is_reviewer",
    "retire_question",
    "review_question",
    "set_reviewer",
    "submit_for_review",
]
