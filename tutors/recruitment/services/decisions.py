"""Decisions: recorded quietly, one or many at once, then released to applicants together."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from meded.accounts.services import record_verified_year
from meded.roles import forget_roles
from tutors.models import (
    Application,
    ApplicationStatus,
    Decision,
    InterviewBooking,
    InterviewScore,
    RecruitmentRound,
    Review,
)

from . import RecruitmentError
from .recruitment import tutors_group

A = ApplicationStatus
DECIDABLE = (A.SUBMITTED, A.SHORTLISTED, A.INTERVIEW_BOOKED, A.OFFERED, A.WAITING_LIST)
STATUS_FOR = {
    Decision.ACCEPT: A.ACCEPTED,
    Decision.REJECT: A.REJECTED,
    Decision.WAITING_LIST: A.WAITING_LIST,
}


def record_decisions(
    actor,
    applications: Iterable[Application],
    decision: str,
    message: str = "",
    feedback_note: str = "",
    *,
    reason: str = "",
) -> int:
    """Record (not send) a decision on each application; returns how many were recorded.

    Nobody decides their own application. Accepting needs evidence (a review score, an
    interview or an interview score) unless the committee writes down its reason.
    """
    if decision not in Decision.values:
        raise RecruitmentError("Choose accept, reject or waiting list.")
    ids = [a.pk for a in applications]
    reason = reason.strip()
    count = 0
    with transaction.atomic():
        # Exists, not Count: PostgreSQL refuses FOR UPDATE with the GROUP BY a Count needs.
        rows = Application.objects.select_for_update(of=("self",)).filter(pk__in=ids)
        for app in rows.annotate(
            n_reviews=Exists(Review.objects.filter(application=OuterRef("pk"))),
            n_scores=Exists(InterviewScore.objects.filter(application=OuterRef("pk"))),
            booked=Exists(InterviewBooking.objects.filter(application=OuterRef("pk"))),
        ).order_by("pk"):
            if actor is not None and app.applicant_id == actor.pk:
                raise RecruitmentError(
                    f"{app.reference} is your own application: another committee member "
                    "must decide it."
                )
            if app.status not in DECIDABLE:
                raise RecruitmentError(
                    f"{app.reference} is {app.get_status_display().lower()}; it cannot be decided."
                )
            evidence = app.n_reviews or app.n_scores or app.booked
            if decision == Decision.ACCEPT and not evidence and not reason:
                raise RecruitmentError(
                    f"{app.reference} has no score and no interview: score it first, or give "
                    "the reason for accepting it without.",
                    field="reason",
                )
            app.decision = decision
            app.decision_reason = reason if decision == Decision.ACCEPT and not evidence else ""
            app.decided_by = actor
            app.decision_message = message
            app.feedback_note = feedback_note if decision != Decision.ACCEPT else ""
            app.decision_released_at = None
            app.save()
            count += 1
    return count


# A decision recorded on a decidable application and not yet released.
UNRELEASED = Q(status__in=DECIDABLE) & ~Q(decision="") & Q(decision_released_at__isnull=True)


def unreleased(round: RecruitmentRound):
    return round.applications.filter(UNRELEASED)


def release_decisions(actor, round: RecruitmentRound) -> int:
    """Release every recorded decision of the round; accepted members become tutors.

    It writes no email: the committee releases through the "tutors.release_decisions" mass
    action (tutors/recruitment/mailings.py), which previews the emails, calls this inside its
    confirming transaction and holds the emails for the undo window.
    """
    with transaction.atomic():
        round = RecruitmentRound.objects.select_for_update().get(pk=round.pk)
        if round.state not in ("applications_open", "interviewing", "ranking"):
            # In ranking, a place may still go to someone from the waiting list.
            raise RecruitmentError("Decisions are released until the round's ranking closes.")
        if timezone.now() < round.applications_close:
            closes = timezone.localtime(round.applications_close)
            raise RecruitmentError(
                f"Applications are open until {closes:%a %-d %b %H:%M}: decisions are released "
                "once every applicant has had the chance to apply."
            )
        apps = list(unreleased(round).select_for_update().select_related("applicant"))
        if not apps:
            raise RecruitmentError("There are no recorded decisions waiting to be released.")
        group = tutors_group()
        now = timezone.now()
        for app in apps:
            app.status = STATUS_FOR[app.decision]
            app.decision_released_at = now
            app.save(update_fields=["status", "decision_released_at", "updated_at"])
            if app.status == A.ACCEPTED:
                app.applicant.groups.add(group)
                # The committee reviewed this year with the application: it is now verified.
                record_verified_year(
                    app.applicant, app.year_of_study or app.applicant.year_of_study
                )
                forget_roles(app.applicant)
    return len(apps)
