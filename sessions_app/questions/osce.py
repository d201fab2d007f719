"""Mock OSCE stations: the committee writes a station for a session; the session's tutors (or
the committee) mark its booked candidates against the checklist and a global rating (1-5);
candidates see their sheet and the examiner's comments once the committee releases them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from meded.roles import is_committee
from sessions_app.booking.models import Booking
from sessions_app.scheduling.models import TeachingSession

from .errors import QuestionError
from .models import OsceItem, OsceSheet, OsceStation

STATION_KINDS = (TeachingSession.Kind.CLINICAL_SKILLS, TeachingSession.Kind.MOCK_EXAM)
RATINGS = [
    (1, "1 Clear fail"),
    (2, "2 Borderline fail"),
    (3, "3 Borderline pass"),
    (4, "4 Clear pass"),
    (5, "5 Excellent"),
]


def create_station(actor, *, title: str, scenario: str, session, checklist: list[str]):
    if not is_committee(actor):
        raise QuestionError("Only the committee writes OSCE stations.")
    items = [line.strip() for line in checklist if line.strip()]
    if not title.strip() or not scenario.strip():
        raise QuestionError("Give the station a title and a scenario.", field="scenario")
    if session.kind not in STATION_KINDS:
        raise QuestionError("Choose a clinical-skills or mock-exam session.", field="session")
    if not 1 <= len(items) <= 40:
        raise QuestionError("Write 1 to 40 checklist items, one a line.", field="checklist")
    with transaction.atomic():
        station = OsceStation.objects.create(
            title=title.strip(), scenario=scenario.strip(), session=session
        )
        OsceItem.objects.bulk_create(
            OsceItem(station=station, position=i, text=text[:300])
            for i, text in enumerate(items, start=1)
        )
    return station


def can_examine(user, station: OsceStation) -> bool:
    return is_committee(user) or station.session.tutors.filter(pk=user.pk).exists()


def candidates(station: OsceStation):
    return [
        b.student
        for b in Booking.objects.filter(session=station.session, status=Booking.Status.CONFIRMED)
        .select_related("student")
        .order_by("student__full_name")
    ]


def mark(examiner, station: OsceStation, candidate, ticked_ids, rating: int, comments: str = ""):
    """Save (or replace) a candidate's sheet; saving again is harmless (an offline resend)."""
    if not can_examine(examiner, station):
        raise QuestionError("Only this session's tutors and the committee examine.")
    if not Booking.objects.filter(
        session=station.session, student=candidate, status=Booking.Status.CONFIRMED
    ).exists():
        raise QuestionError("This candidate has no place on the session.")
    if rating not in dict(RATINGS):
        raise QuestionError("Choose a global rating from 1 to 5.", field="global_rating")
    items = list(station.items.filter(pk__in=ticked_ids))
    if len(items) != len(set(ticked_ids)):
        raise QuestionError("A ticked item is not on this station's checklist.")
    with transaction.atomic():
        sheet, _ = OsceSheet.objects.update_or_create(
            station=station,
            candidate=candidate,
            defaults={
                "examiner": examiner,
                "global_rating": rating,
                "comments": comments.strip()[:4000],
                "marked_at": timezone.now(),
            },
        )
        sheet.ticked.set(items)
    return sheet


def release(actor, station: OsceStation) -> OsceStation:
    if not is_committee(actor):
        raise QuestionError("Only the committee releases OSCE sheets.")
    OsceStation.objects.filter(pk=station.pk, released_at__isnull=True).update(
        released_at=timezone.now()
    )
    station.refresh_from_db()
    return station
