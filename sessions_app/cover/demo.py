"""Demo cover: the demo tutor asks for cover for an upcoming session; the committee offers it to
tutors who ranked the topic. Through the services; idempotent."""

from __future__ import annotations

from django.utils import timezone

from meded.notifications import mailings
from sessions_app.models import TeachingSession

from .models import CoverRequest
from .services import ask_for_cover, candidates, choose_cover


def seed_cover(demo=None, **kwargs) -> None:
    if demo is None or demo.tutor is None or CoverRequest.objects.exists():
        return
    upcoming = (
        TeachingSession.objects.filter(starts_at__gt=timezone.now())
        .exclude(status=TeachingSession.Status.CANCELLED)
        .exclude(topic=None)
        .prefetch_related("tutors")
        .order_by("starts_at")
    )
    # The demo tutor's own session if someone could cover it, else the first that can be.
    options = sorted(upcoming, key=lambda s: demo.tutor not in s.tutors.all())
    for session in options:
        tutor = session.tutors.first()
        if tutor is None or not list(candidates(CoverRequest(session=session, tutor=tutor))[:1]):
            continue
        request = ask_for_cover(tutor, session, "Exams that week, sorry.")
        people = list(candidates(request)[:3])
        chair = demo.chair or demo.committee[0]
        choose_cover(chair, request, [p.pk for p in people])
        shown = mailings.preview("sessions.offer_cover", request.pk)  # the committee's way
        mailings.confirm(chair, "sessions.offer_cover", request.pk, expected=shown.fingerprint)
        return
