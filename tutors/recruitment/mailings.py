"""Releasing decisions as a mass email: previewed, confirmed, held for the undo window.

Undo puts each application back to where it was before the release (decision recorded, not
released) and takes the tutor role away from anyone who got it through this release.
"""

from __future__ import annotations

from django.urls import reverse

from meded.notifications.kinds import register_object_title
from meded.notifications.mailings import Letter, MailingError, MassAction, register_action
from meded.notifications.models import Mailing
from meded.prepared import PreparedForIds
from meded.roles import forget_roles
from tutors.models import Application, ApplicationStatus, RecruitmentRound

from .services import RecruitmentError
from .services.decisions import STATUS_FOR, release_decisions, unreleased
from .services.recruitment import tutors_group
from .services.reviewing import invitable, invitations_waiting, invite

A = ApplicationStatus

RELEASABLE_STATES = ("applications_open", "interviewing", "ranking")


def _letters(round: RecruitmentRound) -> list[Letter]:
    if round.state not in RELEASABLE_STATES:
        raise RecruitmentError("Decisions are released until the round's ranking closes.")
    apps = list(unreleased(round).select_related("applicant").order_by("pk"))
    if not apps:
        raise RecruitmentError("There are no recorded decisions waiting to be released.")
    letters = []
    for app in apps:
        app.status = STATUS_FOR[app.decision]  # as it will read once released (not saved)
        letters.append(
            Letter(
                user=app.applicant,
                object_key=f"tutors.application:{app.pk}:{app.status}",
                context={"application": app, "round": round},
                variant=app.get_status_display(),
            )
        )
    return letters


def _apply(actor, round: RecruitmentRound, letters: list[Letter]) -> dict:
    locked = RecruitmentRound.objects.select_for_update().get(pk=round.pk)
    before = {
        app.pk: (app.status, app.applicant_id)
        for app in unreleased(locked).select_for_update().order_by("pk")
    }
    expected = {int(letter.object_key.split(":")[1]) for letter in letters}
    if set(before) != expected:
        raise MailingError(
            "The decisions changed since you looked; check the new preview and confirm again."
        )
    group = tutors_group()
    already_tutors = set(
        group.user_set.filter(pk__in=[u for _, u in before.values()]).values_list("pk", flat=True)
    )
    release_decisions(actor, locked)
    return {
        "applications": {str(pk): status for pk, (status, _) in before.items()},
        "made_tutors": sorted({u for _, u in before.values()} - already_tutors),
    }


def _revert(mailing: Mailing, data: dict) -> None:
    previous = {int(pk): status for pk, status in data["applications"].items()}
    apps = Application.objects.select_for_update().filter(pk__in=previous)
    for app in apps:
        app.status = previous[app.pk]
        app.decision_released_at = None
        app.save(update_fields=["status", "decision_released_at", "updated_at"])
    group = tutors_group()
    for user in group.user_set.filter(pk__in=data["made_tutors"]):
        # only those who got the role from this release and hold no accepted place elsewhere
        if not Application.objects.filter(applicant=user, status="accepted").exists():
            group.user_set.remove(user)
            forget_roles(user)


register_action(
    MassAction(
        name="tutors.release_decisions",
        verb="Release decisions",
        kind="tutors_decision",
        load=lambda pk: RecruitmentRound.objects.get(pk=pk),
        letters=_letters,
        apply=_apply,
        revert=_revert,
        title=lambda round: f"Decisions for {round.name}",
        back_url=lambda round: reverse("tutors_committee_applications", args=[round.pk]),
        explain="Confirming releases every recorded decision: accepted applicants become "
        "tutors, and each applicant sees the decision on their page.",
    )
)


# --- inviting several applicants to interview -----------------------------------------------


def _invitation_letters(round: RecruitmentRound) -> list[Letter]:
    apps = list(invitations_waiting(round).select_related("applicant").order_by("pk"))
    if not apps:
        raise RecruitmentError("No applications are waiting for an interview invitation.")
    letters = []
    for app in apps:
        app.status = A.SHORTLISTED  # as it will read once invited (not saved)
        letters.append(
            Letter(
                user=app.applicant,
                object_key=f"tutors.application:{app.pk}",
                context={"application": app},
            )
        )
    return letters


def _invitation_apply(actor, round: RecruitmentRound, letters: list[Letter]) -> dict:
    RecruitmentRound.objects.select_for_update().get(pk=round.pk)
    waiting = invitable(invitations_waiting(round))
    if {app.pk for app in waiting} != {int(x.object_key.split(":")[1]) for x in letters}:
        raise MailingError(
            "The applications chosen changed since you looked; check the new preview and "
            "confirm again."
        )
    for app in waiting:
        invite(app)
    return {"applications": [app.pk for app in waiting]}


def _invitation_revert(mailing: Mailing, data: dict) -> None:
    apps = Application.objects.select_for_update().filter(pk__in=data["applications"])
    booked = [app for app in apps if app.status != A.SHORTLISTED]
    if booked:
        raise MailingError(
            f"{len(booked)} applicant(s) already booked an interview or were decided; "
            "nothing was undone."
        )
    # back to submitted, still chosen: confirm again later, or choose others
    apps.update(status=A.SUBMITTED, interview_invite_pending=True)


register_action(
    MassAction(
        name="tutors.invite_to_interview",
        verb="Invite to interview",
        kind="tutors_interview_invitation",
        load=lambda pk: RecruitmentRound.objects.get(pk=pk),
        letters=_invitation_letters,
        apply=_invitation_apply,
        revert=_invitation_revert,
        title=lambda round: f"Interview invitations for {round.name}",
        back_url=lambda round: reverse("tutors_committee_applications", args=[round.pk]),
        explain='Confirming moves each chosen application to "invited to interview": the '
        "applicants can then book an interview time.",
    )
)


# What the outbox's emails are about, named on every visit: compiled once per process.
_APPLICATION_ROUNDS = PreparedForIds(
    lambda ids: Application.objects.filter(pk__in=ids).values_list("pk", "round__name")
)


def _application_titles(pks: list[int]) -> dict[int, str]:
    return {pk: f"Tutor application to {name}" for pk, name in _APPLICATION_ROUNDS.rows(ids=pks)}


def _interview_titles(pks: list[int]) -> dict[int, str]:
    from tutors.models import InterviewBooking

    found = InterviewBooking.objects.filter(pk__in=pks).select_related("slot__round")
    return {b.pk: f"Tutor interview for {b.slot.round.name}" for b in found}


register_object_title("tutors.application", _application_titles)
register_object_title("tutors.interviewbooking", _interview_titles)
