"""Decisions: recorded quietly, one or many at once, then released to applicants together."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from meded.accounts.services import record_verified_year
from meded.roles import forget_roles
from tutors.models import Application, ApplicationStatus, Decision, RecruitmentRound

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
) -> int:
    """Record (not send) a decision on each application; returns how many were recorded."""
    if decision not in Decision.values:
        raise RecruitmentError("Choose accept, reject or waiting list.")
    ids = [a.pk for a in applications]
    count = 0
    with transaction.atomic():
        for app in Application.objects.select_for_update().filter(pk__in=ids):
            if app.status not in DECIDABLE:
                raise RecruitmentError(
                    f"{app.reference} is {app.get_status_display().lower()}; it cannot be decided."
                )
            app.decision = decision
            app.decided_by = actor
            app.decision_message = message
            app.feedback_note = feedback_note if decision != Decision.ACCEPT else ""
            app.decision_released_at = None
            app.save()
            count += 1
    return count


def unreleased(round: RecruitmentRound):
    return (
        round.applications.filter(status__in=DECIDABLE)
        .exclude(decision="")
        .filter(decision_released_at__isnull=True)
    )


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
