"""A tutor's load: upcoming teaching, deadlines, cover asked for and offered to them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

from meded.prepared import Prepared
from sessions_app.models import TeachingSession
from tutors.models import Application, ApplicationStatus, RoundState

from .models import CoverOffer, CoverRequest

HORIZON = timedelta(weeks=8)


@dataclass
class Deadline:
    when: datetime
    what: str
    url: str = ""


def _upcoming(tutor_pk: int, now: datetime, until: datetime):
    return (
        TeachingSession.objects.filter(tutors=tutor_pk, ends_at__gt=now, starts_at__lt=until)
        .exclude(status=TeachingSession.Status.CANCELLED)
        .annotate(topic_code=F("topic__code"))
        .only("id", "title", "starts_at", "venue")
        .order_by("starts_at")
    )


# The load page is computed again after any write to these tables (and each minute): its four
# reads are compiled once per process.
_UPCOMING = Prepared(_upcoming, 3)
_ASKED = Prepared(
    lambda tutor_pk: CoverRequest.objects.filter(
        tutor_id=tutor_pk, state__in=[CoverRequest.State.OPEN, CoverRequest.State.OFFERED]
    ),
    1,
)
_OFFERED = Prepared(
    lambda tutor_pk, now: (
        CoverOffer.objects.filter(
            tutor_id=tutor_pk,
            request__state=CoverRequest.State.OFFERED,
            request__session__starts_at__gt=now,
        )
        .order_by("pk")
        .values_list("pk", "request__session__title", "request__session__starts_at")
    ),
    2,
)
_RANKING = Prepared(
    lambda tutor_pk, now: (
        Application.objects.filter(
            applicant_id=tutor_pk,
            status=ApplicationStatus.ACCEPTED,
            round__state=RoundState.RANKING,
            round__ranking_closes__gt=now,
        )
        .order_by("pk")
        .values_list("round__ranking_closes", "round__name")
    ),
    2,
)


def upcoming(tutor, now: datetime | None = None) -> list[TeachingSession]:
    """The tutor's sessions not over in the next eight weeks, with their topic's code."""
    now = now or timezone.now()
    return _UPCOMING.instances(tutor.pk, now, now + HORIZON)


def deadlines(tutor, now: datetime | None = None) -> list[Deadline]:
    from django.urls import reverse

    now = now or timezone.now()
    rankings = reverse("tutors_rankings")
    out = [
        Deadline(closes, f"Rank the topics you would like to teach ({name})", rankings)
        for closes, name in _RANKING.converted_rows(tutor.pk, now)
    ]
    return sorted(out, key=lambda d: d.when)


def load(tutor, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    sessions = upcoming(tutor, now)
    requests = {r.session_id: r for r in _ASKED.instances(tutor.pk)}
    for s in sessions:
        s.cover = requests.get(s.pk)
    offers = [
        {"pk": pk, "request": {"session": {"title": title, "starts_at": starts}}}
        for pk, title, starts in _OFFERED.converted_rows(tutor.pk, timezone.now())
    ]
    return {"sessions": sessions, "deadlines": deadlines(tutor, now), "offers": offers}


def open_requests():
    return (
        CoverRequest.objects.filter(state__in=[CoverRequest.State.OPEN, CoverRequest.State.OFFERED])
        .select_related("session__topic", "tutor")
        .prefetch_related("offers__tutor")
    )
