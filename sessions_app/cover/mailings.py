"""Offering a session to the tutors the committee chose, as a mass email: previewed,
confirmed, held for the undo window. Undo withdraws the offers (the request is open again),
unless a tutor has already accepted."""

from __future__ import annotations

from django.urls import reverse

from meded.notifications.kinds import register_object_title
from meded.notifications.mailings import Letter, MailingError, MassAction, register_action
from meded.notifications.models import Mailing
from sessions_app.errors import SessionError

from .models import CoverOffer, CoverRequest
from .services import candidates, offer_cover


def _letters(request: CoverRequest) -> list[Letter]:
    if not request.live:
        raise SessionError("This request is closed.")
    asked = set(request.offers.values_list("tutor_id", flat=True))
    chosen = set(request.chosen) - asked
    return [
        Letter(
            user=tutor,
            object_key=f"sessions_app.coverrequest:{request.pk}",
            context={"cover": request, "session": request.session},
        )
        for tutor in candidates(request)
        if tutor.pk in chosen
    ]


def _apply(actor, request: CoverRequest, letters: list[Letter]) -> dict:
    previous = request.state
    offers = offer_cover(actor, request, [letter.user.pk for letter in letters])
    if {o.tutor_id for o in offers} != {letter.user.pk for letter in letters}:
        raise MailingError(
            "Who was asked changed since you looked; check the new preview and confirm again."
        )
    return {"request": request.pk, "offers": [o.pk for o in offers], "state": previous}


def _revert(mailing: Mailing, data: dict) -> None:
    request = CoverRequest.objects.select_for_update().get(pk=data["request"])
    if request.state != CoverRequest.State.OFFERED:
        raise MailingError("A tutor has already taken the session (or it was withdrawn).")
    CoverOffer.objects.filter(pk__in=data["offers"]).delete()
    request.state = data["state"]
    request.save(update_fields=["state"])


register_action(
    MassAction(
        name="sessions.offer_cover",
        verb="Ask for cover",
        kind="cover_offered",
        load=lambda pk: CoverRequest.objects.select_related("session", "tutor").get(pk=pk),
        letters=_letters,
        apply=_apply,
        revert=_revert,
        title=lambda request: f"Cover for {request.session.title}",
        back_url=lambda request: reverse("sessions_app:cover_offer", args=[request.pk]),
        explain="Confirming offers the session to these tutors at once (they see it on their "
        "teaching page); the first to accept takes it.",
    )
)


def _request_titles(pks: list[int]) -> dict[int, str]:
    found = CoverRequest.objects.filter(pk__in=pks).select_related("session")
    return {r.pk: f"Cover for {r.session.title}" for r in found}


register_object_title("sessions_app.coverrequest", _request_titles)
