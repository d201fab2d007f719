"""Rounds (state changes with guards) and applying (draft, submit, withdraw)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from meded.notifications import notify
from meded.prepared import Prepared
from meded.roles import TUTORS_GROUP
from tutors.models import (
    Answer,
    Application,
    ApplicationStatus,
    InterviewBooking,
    Question,
    RecruitmentRound,
    RoundState,
    RubricCriterion,
)

from . import RecruitmentError
from .fasttrack import verdict_for
from .interviews import drop_booking

S = RoundState
A = ApplicationStatus

DEFAULT_RUBRIC = {
    RubricCriterion.Stage.REVIEW: [
        ("Motivation", 2),
        ("Teaching experience", 1),
        ("Subject knowledge", 2),
        ("Communication", 1),
    ],
    RubricCriterion.Stage.INTERVIEW: [
        ("Communication", 2),
        ("Subject knowledge", 2),
        ("Explaining a concept", 2),
        ("Professionalism", 1),
    ],
}

# Allowed moves: state -> the states it may move to.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.APPLICATIONS_OPEN,),
    S.APPLICATIONS_OPEN: (S.INTERVIEWING, S.DRAFT),
    S.INTERVIEWING: (S.RANKING, S.APPLICATIONS_OPEN),
    S.RANKING: (S.ALLOCATION,),
    S.ALLOCATION: (S.PUBLISHED, S.RANKING),
    S.PUBLISHED: (S.CLOSED,),
    S.CLOSED: (),
}

UNDECIDED = (A.SUBMITTED, A.SHORTLISTED, A.INTERVIEW_BOOKED, A.OFFERED)


def add_default_rubric(round: RecruitmentRound) -> None:
    for stage, rows in DEFAULT_RUBRIC.items():
        for order, (name, weight) in enumerate(rows):
            RubricCriterion.objects.get_or_create(
                round=round, stage=stage, name=name, defaults={"weight": weight, "order": order}
            )


def save_round(actor, values: dict[str, Any], round: RecruitmentRound | None = None):
    """Create a round (with the default rubric, so it can open) or update one, in one step.

    ``values`` are the round's fields, already checked by the round form.
    """
    with transaction.atomic():
        created = round is None
        round = round or RecruitmentRound()
        for name, value in values.items():
            setattr(round, name, value)
        round.save()
        if created:
            add_default_rubric(round)
    return round


def add_question(actor, round: RecruitmentRound, values: dict[str, Any]) -> Question:
    """A question applicants answer in this round (``values`` checked by the question form)."""
    return Question.objects.create(round=round, **values)


def remove_question(actor, round: RecruitmentRound, question_id) -> None:
    """Questions go only while the round is a draft: once it opens, answers may refer to them."""
    if round.state != S.DRAFT:
        raise RecruitmentError("Questions can be removed only while the round is a draft.")
    Question.objects.filter(round=round, pk=question_id).delete()


def add_criterion(actor, round: RecruitmentRound, values: dict[str, Any]) -> RubricCriterion:
    """A scored line of the round's review or interview rubric."""
    return RubricCriterion.objects.create(round=round, **values)


def remove_criterion(actor, round: RecruitmentRound, criterion_id) -> None:
    RubricCriterion.objects.filter(round=round, pk=criterion_id).delete()


def _guard(round: RecruitmentRound, target: str) -> None:
    """Raise if the round is not ready for ``target`` (why a move is refused, in words)."""
    if target == S.APPLICATIONS_OPEN:
        has_rubric = round.criteria.filter(stage=RubricCriterion.Stage.REVIEW).exists()
        if round.state == S.DRAFT and not has_rubric:
            raise RecruitmentError("Add at least one review rubric criterion before opening.")
        if round.applications_close <= timezone.now():
            raise RecruitmentError(
                "The application window has already ended; edit the round's dates first."
            )
        if (
            RecruitmentRound.objects.filter(term=round.term, state=S.APPLICATIONS_OPEN)
            .exclude(pk=round.pk)
            .exists()
        ):
            raise RecruitmentError(f"Another round of {round.term} is already taking applications.")
    if target == S.DRAFT and round.applications.exclude(status=A.DRAFT).exists():
        raise RecruitmentError(
            "Applications have been submitted; the round cannot go back to draft."
        )
    if target == S.RANKING:
        pending = round.applications.filter(status__in=UNDECIDED).count()
        if pending:
            raise RecruitmentError(
                f"{pending} application(s) still need a released decision before ranking opens."
            )
        if not round.applications.filter(status=A.ACCEPTED).exists():
            raise RecruitmentError("No tutor has been accepted yet.")
    if target == S.ALLOCATION and not round.offerings.exists():
        raise RecruitmentError("Add topic offerings before moving to allocation.")
    if target == S.PUBLISHED and not round.allocation_runs.filter(is_published=True).exists():
        raise RecruitmentError(
            "Publish an allocation run first (on the allocation page); that publishes the round."
        )


def change_state(actor, round: RecruitmentRound, target: str) -> RecruitmentRound:
    """Move a round along its life cycle, checking the guard for the move."""
    with transaction.atomic():
        round = RecruitmentRound.objects.select_for_update().get(pk=round.pk)
        if target not in TRANSITIONS.get(round.state, ()):
            raise RecruitmentError(
                f"A round in “{round.get_state_display()}” cannot move to "
                f"“{dict(RoundState.choices).get(target, target)}”."
            )
        _guard(round, target)
        round.state = target
        try:
            with transaction.atomic():
                round.save(update_fields=["state"])
        except IntegrityError:
            raise RecruitmentError(
                f"Another round of {round.term} is already taking applications."
            ) from None
    return round


def open_round_for(user) -> RecruitmentRound | None:
    """The round a member can apply to now (the soonest-closing open one). Every cold visit of
    the home page asks: the read is compiled once per process."""
    found = _OPEN_ROUND.instances(timezone.now())
    return found[0] if found else None


def _open_rounds(now):
    return RecruitmentRound.objects.filter(
        state=S.APPLICATIONS_OPEN, applications_open__lte=now, applications_close__gt=now
    ).order_by("applications_close")


_OPEN_ROUND = Prepared(lambda now: _open_rounds(now)[:1], 1)


def _check_open(round: RecruitmentRound) -> None:
    if not round.takes_applications:
        raise RecruitmentError("This round is not taking applications now.")


def save_application(
    applicant,
    round: RecruitmentRound,
    fields: dict[str, Any],
    answers: dict[int, dict[str, Any]],
    *,
    submit: bool,
) -> Application:
    """Create or update the member's application; ``submit`` sends it (validated by the form).

    ``answers`` maps question id -> {"text", "choices", "file", "file_name"} (file optional).
    Submitting the first time emails a receipt. A returning tutor who meets the round's fast-track
    rule is marked for it then, with the evidence, and goes straight to a decision.
    """
    # The teaching record is gathered before any row is locked.
    verdict, evidence = verdict_for(applicant, round) if submit else (None, {})
    with transaction.atomic():
        round = RecruitmentRound.objects.get(pk=round.pk)
        _check_open(round)
        app, _ = Application.objects.select_for_update().get_or_create(
            round=round, applicant=applicant
        )
        if app.status not in (A.DRAFT, A.SUBMITTED):
            raise RecruitmentError("This application can no longer be edited.")
        if app.status == A.SUBMITTED and not submit:
            # A sent application keeps every required answer: edits are checked like a submit.
            raise RecruitmentError("This application is already submitted; save your changes.")
        for name in ("year_of_study", "motivation", "experience", "strengths", "availability"):
            if name in fields:
                setattr(app, name, fields[name])
        first_submit = submit and app.status == A.DRAFT
        if first_submit:
            app.status = A.SUBMITTED
            app.submitted_at = timezone.now()
            app.fast_track = bool(verdict and verdict.qualifies)
            app.fast_track_evidence = evidence if app.fast_track else {}
        app.save()
        questions = {q.pk: q for q in round.questions.all()}
        for qid, value in answers.items():
            question = questions.get(qid)
            if question is None:
                continue
            answer, _ = Answer.objects.get_or_create(application=app, question=question)
            if question.kind == Question.Kind.FILE:
                upload = value.get("file")
                if upload:
                    if answer.file:
                        answer.file.delete(save=False)
                    answer.file.save(upload.name, upload, save=False)
                    answer.file_name = upload.name[:200]
            else:
                answer.text = value.get("text", "") or ""
                answer.choices = list(value.get("choices", []) or [])
            answer.save()
        if first_submit:
            notify(applicant, "tutors_application_received", app, {"application": app})
    return app


def withdraw_application(applicant, application: Application) -> Application:
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application.pk)
        if app.applicant_id != applicant.pk:
            raise RecruitmentError("This is not your application.")
        if app.status in (A.ACCEPTED, A.REJECTED, A.WITHDRAWN):
            raise RecruitmentError("This application can no longer be withdrawn.")
        if app.status == A.DRAFT:
            app.status = A.WITHDRAWN
            app.submitted_at = app.submitted_at or timezone.now()
        app.status = A.WITHDRAWN
        app.save(update_fields=["status", "submitted_at", "updated_at"])
        booking = InterviewBooking.objects.filter(application=app).select_related("slot").first()
        if booking is not None:
            booking.application = app
            drop_booking(booking)
    return app


def tutors_group() -> Group:
    return Group.objects.get_or_create(name=TUTORS_GROUP)[0]
