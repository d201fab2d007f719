"""Introducing the matched pairs as a mass email: previewed, confirmed, held for the undo
window. Undo takes the introductions back (the pairs are matched again, not introduced, and
the scheme can be re-matched), before any check-in is due."""

from __future__ import annotations

from django.urls import reverse

from meded.notifications.kinds import register_object_title
from meded.notifications.mailings import Letter, MailingError, MassAction, register_action
from meded.notifications.models import Mailing

from .models import ChangeRequest, CheckIn, MentoringScheme, MentorPair, SchemeState
from .services import MentoringError, introduce, introduction_letters, resolve_change


def _letters(scheme: MentoringScheme) -> list[Letter]:
    if scheme.state != SchemeState.MATCHING:
        raise MentoringError("Run the matching first.")
    return [
        Letter(
            user=person,
            object_key=f"tutors.mentorpair:{pair.pk}",
            context={
                "pair": pair,
                "scheme": scheme,
                "other": other,
                "is_mentor": person == pair.mentor,
            },
            variant="Mentor" if person == pair.mentor else "Mentee",
        )
        for person, pair, other in introduction_letters(scheme)
    ]


def _apply(actor, scheme: MentoringScheme, letters: list[Letter]) -> dict:
    pairs = introduce(actor, scheme)
    if set(pairs) != {int(letter.object_key.split(":")[1]) for letter in letters}:
        raise MailingError(
            "The pairs changed since you looked; check the new preview and confirm again."
        )
    return {"scheme": scheme.pk, "pairs": pairs}


def _revert(mailing: Mailing, data: dict) -> None:
    scheme = MentoringScheme.objects.select_for_update().get(pk=data["scheme"])
    if CheckIn.objects.filter(pair_id__in=data["pairs"]).exists():
        raise MailingError("Check-ins have started for these pairs; nothing was undone.")
    MentorPair.objects.filter(pk__in=data["pairs"]).update(introduced_at=None)
    scheme.state = SchemeState.MATCHING
    scheme.introduced_at = None
    scheme.save(update_fields=["state", "introduced_at"])


register_action(
    MassAction(
        name="tutors.introduce_mentoring",
        verb="Introduce the pairs",
        kind="mentoring_introduction",
        load=lambda pk: MentoringScheme.objects.get(pk=pk),
        letters=_letters,
        apply=_apply,
        revert=_revert,
        title=lambda scheme: f"Introductions for {scheme.name}",
        back_url=lambda scheme: reverse("mentoring_committee_scheme", args=[scheme.pk]),
        explain="Confirming fixes the pairs (the matching cannot be re-run) and starts their "
        "check-ins; each mentor and mentee is introduced to the other.",
    )
)


def _pair_titles(pks: list[int]) -> dict[int, str]:
    found = MentorPair.objects.filter(pk__in=pks).select_related("scheme")
    return {p.pk: f"{p.scheme.name}: a pairing" for p in found}


register_object_title("tutors.mentorpair", _pair_titles)


# --- a new mentor after a change request: the new pair introduced to each other -------------


def _new_pair_letters(change: ChangeRequest) -> list[Letter]:
    if change.resolved_at or change.new_mentor is None:
        raise MentoringError("Choose the new mentor first.")
    old = change.pair
    pair = MentorPair(scheme=old.scheme, mentor=change.new_mentor, mentee=old.mentee)
    return [
        Letter(
            user=person,
            object_key=f"tutors.changerequest:{change.pk}",
            context={
                "pair": pair,
                "scheme": old.scheme,
                "other": other,
                "is_mentor": person == pair.mentor,
            },
            variant="Mentor" if person == pair.mentor else "Mentee",
        )
        for person, other in ((pair.mentee, pair.mentor), (pair.mentor, pair.mentee))
    ]


def _new_pair_apply(actor, change: ChangeRequest, letters: list[Letter]) -> dict:
    new = resolve_change(actor, change, change.new_mentor)
    return {"change": change.pk, "old": change.pair_id, "new": new.pk}


def _new_pair_revert(mailing: Mailing, data: dict) -> None:
    if CheckIn.objects.filter(pair_id=data["new"]).exists():
        raise MailingError("Check-ins have started for the new pair; nothing was undone.")
    MentorPair.objects.filter(pk=data["new"]).delete()
    MentorPair.objects.filter(pk=data["old"]).update(ended_at=None)
    ChangeRequest.objects.filter(pk=data["change"]).update(resolved_at=None)


register_action(
    MassAction(
        name="tutors.mentoring_new_pair",
        verb="Pair and introduce",
        kind="mentoring_introduction",
        load=lambda pk: ChangeRequest.objects.select_related(
            "pair__scheme", "pair__mentee", "new_mentor"
        ).get(pk=pk),
        letters=_new_pair_letters,
        apply=_new_pair_apply,
        revert=_new_pair_revert,
        title=lambda change: f"A new pairing in {change.pair.scheme.name}",
        back_url=lambda change: reverse("mentoring_committee_scheme", args=[change.pair.scheme_id]),
        explain="Confirming ends the old pairing and makes the new one; the mentee and the new "
        "mentor are introduced to each other.",
    )
)


def _change_titles(pks: list[int]) -> dict[int, str]:
    found = ChangeRequest.objects.filter(pk__in=pks).select_related("pair__scheme")
    return {c.pk: f"{c.pair.scheme.name}: a new pairing" for c in found}


register_object_title("tutors.changerequest", _change_titles)
