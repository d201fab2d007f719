"""Scoring applications and interviews on the round's rubric, and shortlisting."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet

from meded.notifications import notify
from tutors.models import (
    Application,
    ApplicationStatus,
    InterviewScore,
    Recommendation,
    Review,
    RubricCriterion,
)

from . import RecruitmentError

A = ApplicationStatus


def weighted_total(criteria: Iterable[RubricCriterion], scores: dict[int, int]) -> float:
    """Weighted mean of 1-5 scores; every criterion must be scored."""
    criteria = list(criteria)
    if not criteria:
        raise RecruitmentError("This round has no rubric criteria for this stage.")
    total = weight = 0
    for c in criteria:
        value = scores.get(c.pk)
        if value is None or not 1 <= int(value) <= 5:
            raise RecruitmentError(f"Score “{c.name}” from 1 to 5.")
        total += int(value) * c.weight
        weight += c.weight
    return round(total / weight, 2)


def _not_own(member, application: Application) -> None:
    """Conflict of interest: nobody scores their own application (blind review included:
    the reference hides the name, not the rule)."""
    if member is not None and application.applicant_id == member.pk:
        raise RecruitmentError(
            f"{application.reference} is your own application: another committee member must "
            "score it."
        )


def score_application(reviewer, application: Application, scores: dict[int, int], comment: str):
    _not_own(reviewer, application)
    criteria = application.round.criteria.filter(stage=RubricCriterion.Stage.REVIEW)
    total = weighted_total(criteria, scores)
    if application.status in (A.DRAFT, A.WITHDRAWN):
        raise RecruitmentError("Only submitted applications can be scored.")
    with transaction.atomic():
        review, _ = Review.objects.update_or_create(
            application=application,
            reviewer=reviewer,
            defaults={
                "scores": {str(k): int(v) for k, v in scores.items()},
                "total": total,
                "comment": comment,
            },
        )
    return review


def score_interview(
    interviewer, application: Application, scores: dict[int, int], recommendation: str, comment: str
) -> InterviewScore:
    _not_own(interviewer, application)
    criteria = application.round.criteria.filter(stage=RubricCriterion.Stage.INTERVIEW)
    total = weighted_total(criteria, scores)
    if recommendation not in Recommendation.values:
        raise RecruitmentError("Recommend accept, waiting list or reject.")
    if application.status not in (A.INTERVIEW_BOOKED, A.SHORTLISTED):
        raise RecruitmentError(
            "Only applicants invited to interview can be given interview scores."
        )
    with transaction.atomic():
        score, _ = InterviewScore.objects.update_or_create(
            application=application,
            interviewer=interviewer,
            defaults={
                "scores": {str(k): int(v) for k, v in scores.items()},
                "total": total,
                "recommendation": recommendation,
                "comment": comment,
            },
        )
    return score


def invitable(applications: Iterable[Application]):
    """Submitted applications that interview (fast track does not), locked, round checked."""
    ids = [a.pk for a in applications]
    apps = list(
        Application.objects.select_for_update()
        .select_related("round", "applicant")
        .filter(pk__in=ids, status=A.SUBMITTED, fast_track=False)  # fast track: no interview
        .order_by("pk")
    )
    for app in apps:
        if app.round.state not in ("applications_open", "interviewing"):
            raise RecruitmentError("Shortlist while the round takes applications or interviews.")
    return apps


def invite(app: Application) -> None:
    """The application moves to "invited to interview" (the email is the caller's)."""
    app.status = A.SHORTLISTED
    app.interview_invite_pending = False
    app.save(update_fields=["status", "interview_invite_pending", "updated_at"])


def shortlist(actor, applications: Iterable[Application]) -> int:
    """Invite one applicant to interview (emails them); returns how many moved (0 or 1).

    Several at once email several people: they go through `choose_for_interview` and the
    "tutors.invite_to_interview" mass action (preview, confirm, undo window).
    """
    with transaction.atomic():
        apps = invitable(applications)
        if len(apps) > 1:
            raise RecruitmentError("Invite several applicants through the preview of their emails.")
        for app in apps:
            invite(app)
            notify(app.applicant, "tutors_interview_invitation", app, {"application": app})
    return len(apps)


def choose_for_interview(actor, applications: Iterable[Application]) -> int:
    """Mark applications for interview; nobody is emailed until the committee confirms the
    invitations' preview. Returns how many are marked."""
    with transaction.atomic():
        apps = invitable(applications)
        Application.objects.filter(pk__in=[a.pk for a in apps]).update(
            interview_invite_pending=True
        )
    return len(apps)


def invitations_waiting(round) -> QuerySet[Application]:
    """Applications chosen for interview whose invitation has not been confirmed yet."""
    return Application.objects.filter(
        round=round, status=A.SUBMITTED, fast_track=False, interview_invite_pending=True
    )
