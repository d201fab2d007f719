"""A tutor's load: upcoming teaching, deadlines, cover asked for and offered to them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from sessions_app.models import TeachingSession
from tutors.models import Application, ApplicationStatus, RoundState

from .models import CoverOffer, CoverRequest

HORIZON = timedelta(weeks=8)


@dataclass
class Deadline:
    when: datetime
    what: str
    url: str = ""


def upcoming(tutor, now=None):
    now = now or timezone.now()
    return (
        TeachingSession.objects.filter(tutors=tutor, ends_at__gt=now, starts_at__lt=now + HORIZON)
        .exclude(status=TeachingSession.Status.CANCELLED)
        .select_related("topic")
        .order_by("starts_at")
    )


def deadlines(tutor, now=None) -> list[Deadline]:
    from django.urls import reverse

    now = now or timezone.now()
    out = []
    rounds = (
        Application.objects.filter(applicant=tutor, status=ApplicationStatus.ACCEPTED)
        .filter(round__state=RoundState.RANKING, round__ranking_closes__gt=now)
        .select_related("round")
    )
    for app in rounds:
        out.append(
            Deadline(
                app.round.ranking_closes,
                f"Rank the topics you would like to teach ({app.round.name})",
                reverse("tutors_rankings"),
            )
        )
    return sorted(out, key=lambda d: d.when)


def load(tutor, now=None) -> dict:
    sessions = list(upcoming(tutor, now))
    requests = {
        r.session_id: r
        for r in CoverRequest.objects.filter(
            tutor=tutor, state__in=[CoverRequest.State.OPEN, CoverRequest.State.OFFERED]
        )
    }
    for s in sessions:
        s.cover = requests.get(s.pk)
    offers = (
        CoverOffer.objects.filter(tutor=tutor, request__state=CoverRequest.State.OFFERED)
        .filter(request__session__starts_at__gt=timezone.now())
        .select_related("request__session__topic")
    )
    return {"sessions": sessions, "deadlines": deadlines(tutor, now), "offers": list(offers)}


def open_requests():
    return (
        CoverRequest.objects.filter(state__in=[CoverRequest.State.OPEN, CoverRequest.State.OFFERED])
        .select_related("session__topic", "tutor")
        .prefetch_related("offers__tutor")
    )
