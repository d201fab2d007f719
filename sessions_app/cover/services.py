"""Cover: a tutor asks (one click), the committee previews and offers the session to tutors
who ranked its topic, and the first to accept takes the session."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from meded.notifications import notify
from meded.roles import COMMITTEE_GROUP, TUTORS_GROUP
from sessions_app.errors import SessionError
from sessions_app.models import TeachingSession
from tutors.models import Ranking

from .models import CoverOffer, CoverRequest

R = CoverRequest.State


def _committee():
    return get_user_model().objects.filter(groups__name=COMMITTEE_GROUP, is_active=True)


def ask_for_cover(tutor, session: TeachingSession, note: str = "") -> CoverRequest:
    """One click from the load page; the committee is told, nobody else yet."""
    if not session.is_taught_by(tutor):
        raise SessionError("You can ask for cover only for sessions you teach.")
    if session.status == TeachingSession.Status.CANCELLED or session.starts_at <= timezone.now():
        raise SessionError("This session has started or was cancelled; no cover is needed.")
    with transaction.atomic():
        if CoverRequest.objects.filter(
            session=session, tutor=tutor, state__in=[R.OPEN, R.OFFERED]
        ).exists():
            raise SessionError("You have already asked; the committee is on it.")
        request = CoverRequest.objects.create(session=session, tutor=tutor, note=note[:300])
        for member in _committee():
            notify(member, "cover_requested", request, {"cover": request, "session": session})
    return request


def withdraw(tutor, request: CoverRequest) -> CoverRequest:
    with transaction.atomic():
        request = CoverRequest.objects.select_for_update().get(pk=request.pk)
        if request.tutor_id != tutor.pk or not request.live:
            raise SessionError("This request cannot be withdrawn.")
        request.state = R.WITHDRAWN
        request.closed_at = timezone.now()
        request.save(update_fields=["state", "closed_at"])
    return request


def candidates(request: CoverRequest) -> QuerySet:
    """Tutors who ranked this session's topic in any round, not teaching it, with no clash."""
    session = request.session
    already = set(session.tutors.values_list("pk", flat=True)) | {request.tutor_id}
    ids = (
        set(
            Ranking.objects.filter(offering__topic_id=session.topic_id).values_list(
                "tutor_id", flat=True
            )
        )
        - already
    )
    busy = set(
        TeachingSession.objects.exclude(status=TeachingSession.Status.CANCELLED)
        .exclude(pk=session.pk)
        .filter(starts_at__lt=session.ends_at, ends_at__gt=session.starts_at, tutors__in=ids)
        .values_list("tutors", flat=True)
    )
    return (
        get_user_model()
        .objects.filter(pk__in=ids - busy, groups__name=TUTORS_GROUP, is_active=True)
        .order_by("full_name", "email")
    )


def choose_cover(actor, request: CoverRequest, tutor_ids: list[int]) -> int:
    """The committee chooses whom to ask (from the candidates); nobody is emailed until it
    confirms the preview of the "sessions.offer_cover" mass action. Returns how many."""
    allowed = {t.pk for t in candidates(request)}
    chosen = [i for i in dict.fromkeys(tutor_ids) if i in allowed]
    if not chosen:
        raise SessionError("Choose at least one tutor from the list.")
    with transaction.atomic():
        request = CoverRequest.objects.select_for_update().get(pk=request.pk)
        if not request.live:
            raise SessionError("This request is closed.")
        request.chosen = chosen
        request.save(update_fields=["chosen"])
    return len(chosen)


def offer_cover(actor, request: CoverRequest, tutor_ids: list[int]) -> list[CoverOffer]:
    """Offer the session to the chosen candidates; returns the new offers (once per tutor).

    It writes no email: the offers go through the "sessions.offer_cover" mass action
    (cover/mailings.py), which previews them, calls this inside its confirming transaction and
    holds the emails for the undo window."""
    allowed = {t.pk: t for t in candidates(request)}
    chosen = [allowed[i] for i in tutor_ids if i in allowed]
    if not chosen:
        raise SessionError("Choose at least one tutor from the list.")
    with transaction.atomic():
        request = CoverRequest.objects.select_for_update().get(pk=request.pk)
        if not request.live:
            raise SessionError("This request is closed.")
        offers = []
        for tutor in chosen:
            offer, created = CoverOffer.objects.get_or_create(request=request, tutor=tutor)
            if created:
                offers.append(offer)
        request.state = R.OFFERED
        request.chosen = []
        request.save(update_fields=["state", "chosen"])
    return offers


def accept_cover(tutor, offer: CoverOffer) -> CoverRequest:
    """The first tutor to accept takes the session; later ones are told it is covered."""
    if offer.tutor_id != tutor.pk:
        raise SessionError("This offer is not yours.")
    with transaction.atomic():
        request = CoverRequest.objects.select_for_update().get(pk=offer.request_id)
        if request.state != R.OFFERED:
            raise SessionError("Thank you, but someone has already covered this session.")
        session = TeachingSession.objects.select_for_update().get(pk=request.session_id)
        if session.starts_at <= timezone.now():
            raise SessionError("This session has already started.")
        session.tutors.remove(request.tutor_id)
        session.tutors.add(tutor)
        request.state = R.COVERED
        request.covered_by = tutor
        request.closed_at = timezone.now()
        request.save(update_fields=["state", "covered_by", "closed_at"])
        for person in [request.tutor, *_committee()]:
            notify(person, "cover_found", request, {"cover": request, "session": session})
    return request
