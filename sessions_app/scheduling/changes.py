"""Editing a published session that several people hold places on, as a mass email.

A new time or place for everyone booked, or more places offered to the waiting list, emails
several people: the edit is held as a `SessionChange` (nothing saved, nobody emailed), the
committee previews who hears what, confirms, and the emails wait for the undo window. Undo
puts the session back as it was and the waiting-list places back in the queue (same order).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from meded.models import User
from meded.notifications.mailings import Letter, MailingError, MassAction, register_action
from meded.notifications.models import Mailing
from sessions_app.booking.calendar import ics_attachment
from sessions_app.booking.models import Booking
from sessions_app.booking.waitlist import claim_deadline, waiting_head
from sessions_app.scheduling.models import SessionChange, TeachingSession
from sessions_app.scheduling.services import NOTIFY_FIELDS, store_session

# Everything the committee's form edits; the rest (status, sequence, code) has its own step.
SKIP = {"id", "status", "sequence", "checkin_code", "created", "updated"}


def _fields():
    return [f for f in TeachingSession._meta.concrete_fields if f.name not in SKIP]


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _differences(before: TeachingSession, after: TeachingSession) -> tuple[dict, dict]:
    new, old = {}, {}
    for field in _fields():
        if field.value_from_object(before) != field.value_from_object(after):
            new[field.attname] = _plain(field.value_from_object(after))
            old[field.attname] = _plain(field.value_from_object(before))
    return new, old


def _put(session: TeachingSession, values: dict) -> TeachingSession:
    by_attname = {f.attname: f for f in _fields()}
    for attname, value in values.items():
        field = by_attname[attname]
        setattr(session, attname, None if value is None else field.to_python(value))
    return session


def _letters_for(before: TeachingSession, after: TeachingSession, now=None) -> list[Letter]:
    """Who hears of this edit: everyone with a place (a new time or place), and the waiting
    list's head when places come free."""
    now = now or timezone.now()
    after.sequence = before.sequence + 1  # as the calendar entry will read
    changed = [f for f in NOTIFY_FIELDS if getattr(before, f) != getattr(after, f)]
    letters = []
    if changed:
        places = before.bookings.filter(
            status__in=(Booking.Status.CONFIRMED, Booking.Status.OFFERED)
        ).select_related("student")
        for booking in places.order_by("pk"):
            booking.session = after  # as it will read (not saved)
            confirmed = booking.status == Booking.Status.CONFIRMED
            letters.append(
                Letter(
                    user=booking.student,
                    object_key=f"sessions_app.booking:{booking.pk}:seq{after.sequence}",
                    context={"booking": booking, "session": after, "changed": changed},
                    attachments=ics_attachment(booking) if confirmed else None,
                    variant="Has a place" if confirmed else "Holds an offer",
                    kind="session_changed",
                )
            )
    for booking in waiting_head(_with_capacity(before, after), now):
        booking.session = after
        if after.auto_confirm_waitlist:
            booking.status = Booking.Status.CONFIRMED
            letters.append(
                Letter(
                    user=booking.student,
                    object_key=f"sessions_app.booking:{booking.pk}",
                    context={"booking": booking, "session": after, "promoted": True},
                    attachments=ics_attachment(booking),
                    variant="Given a place from the waiting list",
                    kind="booking_confirmed",
                )
            )
        else:
            deadline = claim_deadline(after, now)
            booking.status, booking.offer_expires_at = Booking.Status.OFFERED, deadline
            letters.append(
                Letter(
                    user=booking.student,
                    object_key=f"sessions_app.booking:{booking.pk}:offer",
                    context={"booking": booking, "session": after, "deadline": deadline},
                    deliver_before=deadline,
                    variant="Offered a place from the waiting list",
                    kind="waitlist_offer",
                )
            )
    return letters


def _with_capacity(before: TeachingSession, after: TeachingSession) -> TeachingSession:
    """The saved session (its bookings) with the edit's places, start and confirming rule."""
    probe = TeachingSession.objects.get(pk=before.pk)
    probe.capacity, probe.starts_at = after.capacity, after.starts_at
    probe.auto_confirm_waitlist = after.auto_confirm_waitlist
    return probe


def hold_if_several(
    actor: User | None,
    session: TeachingSession,
    tutors: list,
    target_years: list,
    new_series: str,
    new_series_bookable: bool,
) -> SessionChange | None:
    """Hold the edit when it would email more than one person; None: save it as usual."""
    before = TeachingSession.objects.get(pk=session.pk)
    if before.status != TeachingSession.Status.PUBLISHED:
        return None
    if len(_letters_for(before, _copy(session))) <= 1:
        return None
    new, old = _differences(before, session)
    return SessionChange.objects.create(
        session=before,
        values=new,
        previous=old,
        tutors=[u.pk for u in tutors],
        target_years=[y.pk for y in target_years],
        previous_tutors=list(before.tutors.values_list("pk", flat=True)),
        previous_target_years=list(before.target_years.values_list("pk", flat=True)),
        new_series=new_series,
        new_series_bookable=new_series_bookable,
        base_sequence=before.sequence,
        created_by=actor,
    )


def _copy(session: TeachingSession) -> TeachingSession:
    copy = TeachingSession.objects.get(pk=session.pk)
    for field in _fields():
        setattr(copy, field.attname, getattr(session, field.attname))
    return copy


def _proposed(change: SessionChange) -> tuple[TeachingSession, TeachingSession]:
    before = TeachingSession.objects.get(pk=change.session_id)
    return before, _put(TeachingSession.objects.get(pk=change.session_id), change.values)


def _letters(change: SessionChange) -> list[Letter]:
    if change.applied_at:
        raise MailingError("This change is already saved.")
    before, after = _proposed(change)
    if before.sequence != change.base_sequence or before.status != after.status:
        raise MailingError("The session was edited since; make the change again.")
    return _letters_for(before, after)


def _apply(actor, change: SessionChange, letters: list[Letter]) -> dict:
    locked = TeachingSession.objects.select_for_update().get(pk=change.session_id)
    change = SessionChange.objects.select_for_update().get(pk=change.pk)
    if change.applied_at or locked.sequence != change.base_sequence:
        raise MailingError("The session was edited since; make the change again.")
    before = {f: getattr(locked, f) for f in (*NOTIFY_FIELDS, "capacity")}
    _, moved = store_session(
        _put(locked, change.values),
        tutors=list(User.objects.filter(pk__in=change.tutors)),
        target_years=change.target_years,
        previous=before,
        new_series=change.new_series,
        new_series_bookable=change.new_series_bookable,
        quiet=True,
    )
    offered = {
        int(letter.object_key.split(":")[1])
        for letter in letters
        if letter.kind in ("waitlist_offer", "booking_confirmed")
    }
    if {b.pk for b in moved} != offered:
        raise MailingError(
            "The waiting list changed since you looked; check the new preview and confirm again."
        )
    change.applied_at = timezone.now()
    change.save(update_fields=["applied_at"])
    return {"change": change.pk, "moved": sorted(offered)}


def _revert(mailing: Mailing, data: dict) -> None:
    change = SessionChange.objects.get(pk=data["change"])
    session = TeachingSession.objects.select_for_update().get(pk=change.session_id)
    if session.status != TeachingSession.Status.PUBLISHED:
        raise MailingError("This session is no longer published; nothing to undo.")
    with transaction.atomic():
        Booking.objects.filter(
            pk__in=data["moved"], status__in=(Booking.Status.OFFERED, Booking.Status.CONFIRMED)
        ).update(
            status=Booking.Status.WAITING, offered_at=None, offer_expires_at=None, confirmed_at=None
        )
        _put(session, change.previous)
        session.sequence += 1  # calendars take the old time back
        session.save()
        session.tutors.set(change.previous_tutors)
        session.target_years.set(change.previous_target_years)


register_action(
    MassAction(
        name="sessions.change_session",
        verb="Save the change",
        kind="session_changed",
        load=lambda pk: SessionChange.objects.select_related("session").get(pk=pk),
        letters=_letters,
        apply=_apply,
        revert=_revert,
        title=lambda change: f"Change to {change.session.title}",
        back_url=lambda change: reverse("sessions_app:committee_edit", args=[change.session_id]),
        explain="Confirming saves your edit to the session at once; members with a place get "
        "the new details (and calendar entry), and new places go to the waiting list in order.",
    )
)
