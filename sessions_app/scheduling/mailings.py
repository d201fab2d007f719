"""Cancelling a session people hold places on, as a mass email: previewed, confirmed, held.

Undo brings the session back as it was (published or draft) and gives every booking back its
place: confirmed, waiting (same position: the join time is kept) or offered (same deadline).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import F
from django.urls import reverse

from meded.notifications.kinds import register_object_title
from meded.notifications.mailings import Letter, MailingError, MassAction, register_action
from meded.notifications.models import Mailing
from meded.prepared import PreparedForIds
from sessions_app.booking.models import ActiveBookingStatuses, Booking
from sessions_app.scheduling.models import TeachingSession

from .services import SessionError, cancel_session


def _active(session: TeachingSession):
    return session.bookings.filter(status__in=ActiveBookingStatuses)


def _letters(session: TeachingSession) -> list[Letter]:
    if session.status == TeachingSession.Status.CANCELLED:
        raise SessionError("This session is already cancelled.")
    letters = []
    for booking in _active(session).select_related("student").order_by("pk"):
        was = booking.status
        booking.status = Booking.Status.CANCELLED  # as it will read (not saved)
        letters.append(
            Letter(
                user=booking.student,
                object_key=f"sessions_app.booking:{booking.pk}",
                context={"booking": booking, "session": session, "was": was},
                variant="Had a place" if was != Booking.Status.WAITING else "Was waiting",
            )
        )
    return letters


def _apply(actor, session: TeachingSession, letters: list[Letter]) -> dict:
    locked = TeachingSession.objects.select_for_update().get(pk=session.pk)
    before = {
        b.pk: (b.status, b.offer_expires_at.isoformat() if b.offer_expires_at else None)
        for b in _active(locked).select_for_update()
    }
    if set(before) != {int(letter.object_key.split(":")[1]) for letter in letters}:
        raise MailingError(
            "Bookings changed since you looked; check the new preview and confirm again."
        )
    previous = locked.status
    cancel_session(locked)
    return {
        "session": locked.pk,
        "status": previous,
        "bookings": {str(pk): list(value) for pk, value in before.items()},
    }


def _revert(mailing: Mailing, data: dict) -> None:
    session = TeachingSession.objects.select_for_update().get(pk=data["session"])
    if session.status != TeachingSession.Status.CANCELLED:
        raise MailingError("This session is no longer cancelled; nothing to undo.")
    TeachingSession.objects.filter(pk=session.pk).update(
        status=data["status"], sequence=F("sequence") + 1
    )
    for pk, (status, expires) in data["bookings"].items():
        Booking.objects.filter(pk=int(pk), cancel_reason="session_cancelled").update(
            status=status,
            cancelled_at=None,
            cancel_reason="",
            offer_expires_at=datetime.fromisoformat(expires) if expires else None,
        )


register_action(
    MassAction(
        name="sessions.cancel_session",
        verb="Cancel session",
        kind="session_cancelled",
        load=lambda pk: TeachingSession.objects.get(pk=pk),
        letters=_letters,
        apply=_apply,
        revert=_revert,
        title=lambda session: f"Cancellation of {session.title}",
        back_url=lambda session: reverse("sessions_app:committee_edit", args=[session.pk]),
        explain="Confirming cancels the session at once: it leaves the programme and every "
        "place and waiting-list spot is released. Bookings stay in members' history.",
    )
)


# The outbox names what each email is about on every visit after a booking: compiled once.
_BOOKING_TITLES = PreparedForIds(
    lambda ids: Booking.objects.filter(pk__in=ids).values_list("pk", "session__title")
)


def _booking_titles(pks: list[int]) -> dict[int, str]:
    return dict(_BOOKING_TITLES.rows(ids=pks))


register_object_title("sessions_app.booking", _booking_titles)
