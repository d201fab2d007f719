"""Mock OSCE stations: the committee (or a question reviewer) writes a station for a session:
its scenario, a checklist of items each worth some marks, and a global rating scale. The
session's tutors (or the committee) mark its booked candidates; candidates see their sheet and
the examiner's comments once the committee releases them (a mass email: see mailings.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from meded.roles import is_committee
from sessions_app.booking.models import Booking
from sessions_app.scheduling.models import TeachingSession

from .errors import QuestionError
from .models import (
    MAX_ITEM_MARKS,
    MAX_RATING_POINTS,
    OsceItem,
    OsceSheet,
    OsceStation,
    default_rating_scale,
)
from .permissions import is_reviewer

STATION_KINDS = (TeachingSession.Kind.CLINICAL_SKILLS, TeachingSession.Kind.MOCK_EXAM)
MAX_ITEMS = 40


@dataclass(frozen=True)
class ChecklistItem:
    """One line of a station's checklist as the writer gives it; item_id when it exists."""

    text: str
    marks: int = 1
    item_id: int | None = None


def can_write_station(user) -> bool:
    """The committee and the tutors it marked as question reviewers write OSCE stations."""
    return is_reviewer(user)


def _check(title: str, scenario: str, session, items: list[ChecklistItem], scale: list[str]):
    if not title.strip():
        raise QuestionError("Give the station a title.", field="title")
    if not scenario.strip():
        raise QuestionError("Describe the scenario the candidate is given.", field="scenario")
    if session.kind not in STATION_KINDS:
        raise QuestionError("Choose a clinical-skills or mock-exam session.", field="session")
    if not 1 <= len(items) <= MAX_ITEMS:
        raise QuestionError(f"Write 1 to {MAX_ITEMS} checklist items.", field="checklist")
    for n, item in enumerate(items, start=1):
        if not 1 <= item.marks <= MAX_ITEM_MARKS:
            raise QuestionError(
                f"Item {n} (“{item.text[:40]}”): give it 1 to {MAX_ITEM_MARKS} marks.",
                field="checklist",
            )
        if len(item.text) > 300:
            raise QuestionError(f"Item {n} is longer than 300 characters.", field="checklist")
    if not 2 <= len(scale) <= MAX_RATING_POINTS:
        raise QuestionError(
            f"Give the global rating 2 to {MAX_RATING_POINTS} points, lowest first.",
            field="rating_scale",
        )
    if len(set(scale)) != len(scale) or any(len(label) > 60 for label in scale):
        raise QuestionError(
            "Each point of the rating scale needs its own short label (60 characters at most).",
            field="rating_scale",
        )


def _clean(items: list[ChecklistItem]) -> list[ChecklistItem]:
    return [
        ChecklistItem(" ".join(i.text.split()), i.marks, i.item_id) for i in items if i.text.strip()
    ]


def save_station(
    actor,
    station: OsceStation | None = None,
    *,
    title: str,
    scenario: str,
    session: TeachingSession,
    items: list[ChecklistItem],
    rating_scale: list[str] | None = None,
) -> OsceStation:
    """Write a new station or change one. Once an examiner has marked a candidate, the
    checklist's items and marks, the rating scale and the session are fixed (a sheet must keep
    meaning what it meant); wording and order may still be corrected."""
    if not can_write_station(actor):
        raise QuestionError("Only the committee and question reviewers write OSCE stations.")
    items = _clean(items)
    scale = [" ".join(label.split()) for label in (rating_scale or default_rating_scale())]
    scale = [label for label in scale if label]
    _check(title, scenario, session, items, scale)
    with transaction.atomic():
        if station is None:
            station = OsceStation.objects.create(
                title=title.strip(), scenario=scenario.strip(), session=session, rating_scale=scale
            )
            existing: dict[int, OsceItem] = {}
        else:
            station = OsceStation.objects.select_for_update().get(pk=station.pk)
            existing = {i.pk: i for i in station.items.all()}
            unknown = {i.item_id for i in items if i.item_id is not None} - set(existing)
            if unknown:
                raise QuestionError("An item is not on this station's checklist.", "checklist")
            if station.sheets.exists():
                _unchanged_once_marked(station, existing, items, scale, session)
            station.title, station.scenario = title.strip(), scenario.strip()
            station.session, station.rating_scale = session, scale
            station.save(update_fields=["title", "scenario", "session", "rating_scale"])
        _write_items(station, existing, items)
    return station


def _unchanged_once_marked(station, existing, items, scale, session) -> None:
    before = {(pk, item.marks) for pk, item in existing.items()}
    after = {(item.item_id, item.marks) for item in items}
    if before != after or scale != station.rating_scale or session.pk != station.session_id:
        raise QuestionError(
            "Examiners have marked candidates at this station: its items, their marks, the "
            "rating scale and the session are fixed now. You can still correct the wording and "
            "the order.",
            field="checklist",
        )


def _write_items(station: OsceStation, existing: dict[int, OsceItem], items) -> None:
    kept = {i.item_id for i in items if i.item_id is not None}
    station.items.exclude(pk__in=kept).delete()
    # positions are unique per station: move the kept items out of the way, then number all
    for offset, item in enumerate(station.items.order_by("pk")):
        OsceItem.objects.filter(pk=item.pk).update(position=MAX_ITEMS * 10 + offset + 1)
    for position, item in enumerate(items, start=1):
        if item.item_id is None:
            OsceItem.objects.create(
                station=station, position=position, text=item.text, marks=item.marks
            )
        else:
            OsceItem.objects.filter(pk=item.item_id).update(
                position=position, text=item.text, marks=item.marks
            )


def create_station(
    actor, *, title: str, scenario: str, session, checklist: list[str], rating_scale=None
):
    """A station from plain lines, one item a line, each worth one mark."""
    return save_station(
        actor,
        title=title,
        scenario=scenario,
        session=session,
        items=[ChecklistItem(line) for line in checklist],
        rating_scale=rating_scale,
    )


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
    if not 1 <= rating <= station.max_rating:
        raise QuestionError(
            f"Choose a global rating from 1 to {station.max_rating}.", field="global_rating"
        )
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


def station_marks(station: OsceStation) -> int:
    """The most marks a candidate can score at this station."""
    return station.items.aggregate(total=Sum("marks"))["total"] or 0


def release(actor, station: OsceStation) -> OsceStation:
    """Candidates see their sheets from now on. The committee releases through the mass email
    (mailings.py), which calls this inside its confirming transaction."""
    if not is_committee(actor):
        raise QuestionError("Only the committee releases OSCE sheets.")
    OsceStation.objects.filter(pk=station.pk, released_at__isnull=True).update(
        released_at=timezone.now()
    )
    station.refresh_from_db()
    return station


def withdraw(station: OsceStation) -> None:
    """The release taken back (the mass email's undo)."""
    OsceStation.objects.filter(pk=station.pk).update(released_at=None)
