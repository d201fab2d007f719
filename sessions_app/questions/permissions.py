"""Who may do what with a question: one place, used by services, selectors and views."""

from __future__ import annotations

from meded.prepared import Prepared
from meded.roles import is_committee, is_tutor

from .models import Question, QuestionReviewer


def is_reviewer(user) -> bool:
    """Committee members, and tutors the committee marked as question reviewers."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_committee(user):
        return True
    cached = getattr(user, "_meded_question_reviewer", None)
    if cached is None:
        cached = is_tutor(user) and bool(_REVIEWER.rows(user.pk))
        user._meded_question_reviewer = cached
    return cached


# Asked on every cold visit of the home page by a tutor: compiled once per process.
_REVIEWER = Prepared(
    lambda user_pk: QuestionReviewer.objects.filter(user_id=user_pk).values_list("pk")[:1], 1
)


def can_write(user) -> bool:
    return is_tutor(user) or is_committee(user)


def can_review(user, question: Question) -> bool:
    """A reviewer, never the question's author."""
    return is_reviewer(user) and question.author_id != user.pk


def can_see_draft(user, question: Question) -> bool:
    """Drafts are private to their author; reviewers see what was sent to review or published."""
    if question.author_id == user.pk:
        return True
    if question.status == Question.Status.DRAFT and question.live_version_id is None:
        return False
    return is_reviewer(user)


def can_edit(user, question: Question) -> bool:
    if question.status in (Question.Status.RETIRED, Question.Status.REJECTED):
        return False
    return question.author_id == user.pk or is_committee(user)
