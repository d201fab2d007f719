"""The application page's reads, compiled once per process (meded/prepared.py).

The page is computed again after any write to the tables it read (at the start of a round,
often), and each of its small reads (the member's application, their earlier one, the round's
questions, a draft's answers) compiled on every such visit cost more than it took to run."""

from __future__ import annotations

from meded.prepared import Prepared
from tutors.models import Answer, Application, Question, RecruitmentRound


def application_to(round_pk: int, member_pk: int) -> Application | None:
    """The member's application to the round (`filter(...).first()`)."""
    found = _APPLICATION.instances(round_pk, member_pk)
    return found[0] if found else None


def earlier_application(member_pk: int, round_pk: int) -> Application | None:
    """The member's latest application to another round, with that round."""
    found = _EARLIER.instances(member_pk, round_pk)
    if not found:
        return None
    earlier = found[0]
    earlier.round = _ROUND.instances(earlier.round_id)[0]
    return earlier


def round_questions(round_pk: int) -> list[Question]:
    """The round's own questions, in their order (`round.questions.all()`)."""
    return _QUESTIONS.instances(round_pk)


def application_answers(application_pk: int) -> list[Answer]:
    """An application's answers to the round's questions (`application.answers.all()`)."""
    return _ANSWERS.instances(application_pk)


_APPLICATION = Prepared(
    lambda round_pk, member_pk: Application.objects.filter(round=round_pk, applicant=member_pk)[
        :1
    ],  # the model's ordering, as first() takes it
    2,
)
_EARLIER = Prepared(
    lambda member_pk, round_pk: (
        Application.objects.filter(applicant=member_pk)
        .exclude(round=round_pk)
        .order_by("-created_at")[:1]
    ),
    2,
)
_ROUND = Prepared(lambda pk: RecruitmentRound.objects.filter(pk=pk), 1)
_QUESTIONS = Prepared(lambda round_pk: Question.objects.filter(round=round_pk), 1)
_ANSWERS = Prepared(lambda application_pk: Answer.objects.filter(application=application_pk), 1)
