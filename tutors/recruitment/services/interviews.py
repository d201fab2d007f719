"""Interview slots: publishing, booking (capacity under a row lock), cancelling, assigning."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event

from meded.notifications import notify
from meded.notifications.rendering import attachment, register_attachment
from tutors.recruitment.models import (
    CHANGE_DEADLINE,
    Application,
    ApplicationStatus,
    InterviewBooking,
    InterviewSlot,
)

from . import RecruitmentError

A = ApplicationStatus


def _book(actor, application: Application, slot: InterviewSlot, *, by_committee: bool):
    """Shared body of booking/assigning: lock the slot, check capacity and the 24 h rule."""
    with transaction.atomic():
        slot = InterviewSlot.objects.select_for_update().get(pk=slot.pk)
        app = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
        if slot.round_id != app.round_id:
            raise RecruitmentError("This slot belongs to another round.")
        if app.status not in (A.SHORTLISTED, A.INTERVIEW_BOOKED):
            raise RecruitmentError("Only applicants invited to interview can book a slot.")
        now = timezone.now()
        if slot.starts_at <= now:
            raise RecruitmentError("This slot has already started.")
        existing = InterviewBooking.objects.filter(application=app).select_related("slot").first()
        if existing and existing.slot_id == slot.pk:
            return existing
        if not by_committee:
            if slot.starts_at - now < CHANGE_DEADLINE:
                raise RecruitmentError("Slots can be booked up to 24 hours before they start.")
            if existing and existing.slot.starts_at - now < CHANGE_DEADLINE:
                raise RecruitmentError(
                    "Your interview is less than 24 hours away; ask the committee to move it."
                )
        if slot.bookings.count() >= slot.capacity:
            raise RecruitmentError("Sorry, that slot has just been filled. Please choose another.")
        if existing:
            existing.delete()
        booking = InterviewBooking.objects.create(slot=slot, application=app, booked_by=actor)
        app.status = A.INTERVIEW_BOOKED
        app.save(update_fields=["status", "updated_at"])
        # Keyed by the booking row: every (re)booking is a new row, so each one is confirmed,
        # also a move back to a slot booked before.
        notify(
            app.applicant,
            "tutors_interview_booked",
            booking,
            {"application": app, "slot": slot},
            attachments=[
                attachment("interview_ics", application=app, slot=slot, sequence=2 * booking.pk)
            ],
        )
    return booking


def book_slot(applicant, application: Application, slot: InterviewSlot) -> InterviewBooking:
    if application.applicant_id != applicant.pk:
        raise RecruitmentError("This is not your application.")
    return _book(applicant, application, slot, by_committee=False)


def assign_slot(actor, application: Application, slot: InterviewSlot) -> InterviewBooking:
    """The committee places an applicant directly (no 24 h rule; capacity still holds)."""
    return _book(actor, application, slot, by_committee=True)


def cancel_booking(applicant, application: Application) -> None:
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application.pk)
        if app.applicant_id != applicant.pk:
            raise RecruitmentError("This is not your application.")
        booking = InterviewBooking.objects.filter(application=app).select_related("slot").first()
        if booking is None:
            raise RecruitmentError("You have no interview booked.")
        if booking.slot.starts_at - timezone.now() < CHANGE_DEADLINE:
            raise RecruitmentError(
                "Your interview is less than 24 hours away; ask the committee to cancel it."
            )
        app.status = A.SHORTLISTED
        app.save(update_fields=["status", "updated_at"])
        booking.application = app
        drop_booking(booking)


def drop_booking(booking: InterviewBooking) -> None:
    """Free the place and send the applicant a calendar cancellation (call inside a transaction).

    The .ics carries the booking's UID and a higher SEQUENCE, so the calendar removes the event
    the confirmation added.
    """
    app, slot = booking.application, booking.slot
    notify(
        app.applicant,
        "tutors_interview_cancelled",
        f"tutors.interviewbooking:{booking.pk}",
        {"application": app, "slot": slot},
        attachments=[
            attachment(
                "interview_ics",
                application=app,
                slot=slot,
                sequence=2 * booking.pk + 1,
                cancel=True,
            )
        ],
    )
    booking.delete()


def _clashes(interviewers, starts_at, ends_at) -> list[str]:
    """Interviewers already in another slot that overlaps [starts_at, ends_at)."""
    nearby = InterviewSlot.objects.filter(
        interviewers__in=interviewers,
        starts_at__lt=ends_at,
        starts_at__gt=starts_at - timedelta(hours=12),
    ).prefetch_related("interviewers")
    names = set()
    wanted = {u.pk for u in interviewers}
    for slot in nearby:
        if slot.ends_at > starts_at:
            names |= {u.get_short_name() for u in slot.interviewers.all() if u.pk in wanted}
    return sorted(names)


def create_slot(actor, round, **fields) -> InterviewSlot:
    """Publish a slot; an interviewer cannot be in two overlapping slots."""
    interviewers = list(fields.pop("interviewers", []))
    if round.state not in ("applications_open", "interviewing"):
        raise RecruitmentError("Slots can be published while applications or interviews run.")
    starts_at = fields["starts_at"]
    ends_at = starts_at + timedelta(minutes=fields.get("duration_minutes") or 20)
    if starts_at < round.interviews_open or ends_at > round.interviews_close:
        first = timezone.localtime(round.interviews_open)
        last = timezone.localtime(round.interviews_close)
        raise RecruitmentError(
            f"Interviews run from {first:%a %-d %b %H:%M} to {last:%a %-d %b %H:%M}: "
            "choose a time within them (or change the round's interview dates).",
            field="starts_at",
        )
    if not fields.get("location") and not fields.get("online_url"):
        raise RecruitmentError("Give a room, or the video link of an online interview.", "location")
    clash = _clashes(interviewers, starts_at, ends_at)
    if clash:
        raise RecruitmentError(f"Already interviewing at that time: {', '.join(clash)}.")
    with transaction.atomic():
        slot = InterviewSlot.objects.create(round=round, **fields)
        slot.interviewers.set(interviewers)
    return slot


def delete_slot(actor, slot: InterviewSlot) -> None:
    with transaction.atomic():
        slot = InterviewSlot.objects.select_for_update().get(pk=slot.pk)
        if slot.bookings.exists():
            raise RecruitmentError("Someone is booked in this slot; move them first.")
        slot.delete()


def interview_ics(
    application: Application, slot: InterviewSlot, *, sequence: int = 0, cancel: bool = False
) -> dict[str, str]:
    """An .ics attachment for the booked (or cancelled) interview.

    One UID per application and a rising SEQUENCE, so a calendar replaces the old time when
    the applicant rebooks instead of showing two interviews, and removes it on a cancel.
    """
    cal = Calendar()
    cal.add("prodid", f"-//{settings.SOCIETY_NAME}//meded//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancel else "PUBLISH")
    event = Event()
    event.add("uid", f"tutor-interview-{application.pk}@meded")
    event.add("sequence", sequence)
    if cancel:
        event.add("status", "CANCELLED")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", slot.starts_at)
    event.add("dtend", slot.ends_at)
    event.add("summary", f"Tutor interview: {application.round.name}")
    event.add("location", slot.location or slot.online_url or "To be confirmed")
    if slot.online_url:
        event.add("url", slot.online_url)
    cal.add_component(event)
    return {
        "filename": "interview.ics",
        "mimetype": "text/calendar",
        "content": cal.to_ical().decode(),
    }


register_attachment("interview_ics", interview_ics)  # built by the worker at delivery
