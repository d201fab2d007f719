"""A session made from a "Find a time" slot, and the invitation of the people chosen.

`create_session_for_slot` goes through the scheduling service with its clash checks (a
leader already teaching, the room already taken, or a chosen member already booked or
teaching at that time refuses it, and nothing is made). Inviting is a mass email: previewed,
confirmed, held and undoable (`smallgroups.invite`); confirming publishes the session and
gives each invited member a confirmed place; undo takes both back.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from meded.accounts.models import User
from meded.notifications import register_kind
from meded.notifications.kinds import register_object_title
from meded.notifications.mailings import Letter, MailingError, MassAction, register_action
from meded.notifications.models import Mailing
from sessions_app.booking.calendar import session_ics
from sessions_app.booking.models import ActiveBookingStatuses, Booking
from sessions_app.errors import SessionError
from sessions_app.scheduling.models import TeachingSession
from sessions_app.scheduling.services import find_clashes, publish, save_session

from .models import SlotInvitation

register_kind("smallgroup_invitation", "You are invited to a small-group session.")


def busy_members(people: list[User], starts_at: datetime, ends_at: datetime) -> list[User]:
    """Who among `people` already has a place on, or teaches, a session at that time."""
    overlapping = TeachingSession.objects.exclude(status=TeachingSession.Status.CANCELLED).filter(
        starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    ids = {p.pk for p in people}
    booked = set(
        Booking.objects.filter(
            session__in=overlapping, student_id__in=ids, status__in=ActiveBookingStatuses
        ).values_list("student_id", flat=True)
    )
    teaching = set(
        User.objects.filter(pk__in=ids, teaching_sessions__in=overlapping).values_list(
            "pk", flat=True
        )
    )
    return [p for p in people if p.pk in booked | teaching]


def create_session_for_slot(
    *,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    delivery: str,
    venue: str,
    join_link: str,
    leaders: list[User],
    invited: list[User],
) -> TeachingSession:
    """A draft small-group session at the slot, led by `leaders`, with `invited` to invite.

    Refused (SessionError, nothing made) when it clashes: a leader teaching elsewhere, the room
    taken, or a chosen member already booked or teaching then. Year groups are not checked: the
    session is for the chosen people, not for a year.
    """
    if not leaders:
        raise SessionError("Choose who leads the session.", field="leaders")
    clashes = [
        c
        for c in find_clashes(
            starts_at=starts_at,
            ends_at=ends_at,
            venue=venue,
            tutor_ids=[t.pk for t in leaders],
            year_ids=[],
        )
        if c.kind != "year"
    ]
    if clashes:
        field = "venue" if clashes[0].kind == "venue" else None
        raise SessionError(f"{clashes[0].message} Choose another slot.", field=field)
    taken = busy_members([p for p in invited if p not in leaders], starts_at, ends_at)
    if taken:
        names = ", ".join(p.full_name or p.email for p in taken)
        raise SessionError(f"Already in another session at that time: {names}.")
    session = TeachingSession(
        title=title.strip(),
        kind=TeachingSession.Kind.TUTORIAL,
        delivery=delivery,
        venue=venue.strip(),
        join_link=join_link.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=max(1, len([p for p in invited if p not in leaders])),
        booking_closes=starts_at,
    )
    with transaction.atomic():
        save_session(session, tutors=leaders, target_years=[])
        SlotInvitation.objects.bulk_create(
            SlotInvitation(session=session, member=p) for p in invited if p not in leaders
        )
    return session


def _letters(session: TeachingSession) -> list[Letter]:
    if session.status == TeachingSession.Status.CANCELLED:
        raise SessionError("This session is cancelled.")
    booked = set(
        session.bookings.filter(status__in=ActiveBookingStatuses).values_list(
            "student_id", flat=True
        )
    )
    attachment = {
        "filename": f"session-{session.pk}.ics",
        "mimetype": "text/calendar",
        "content": session_ics(session, show_link=True).decode(),
    }
    return [
        Letter(
            user=inv.member,
            object_key=f"sessions_app.slotinvitation:{inv.pk}",
            context={"session": session},
            variant="Invited",
            attachments=[attachment],
        )
        for inv in session.slot_invitations.select_related("member").order_by("pk")
        if inv.member_id not in booked
    ]


def _apply(actor, session: TeachingSession, letters: list[Letter]) -> dict:
    previous = TeachingSession.objects.get(pk=session.pk).status
    locked = publish(session)
    locked = TeachingSession.objects.select_for_update().get(pk=locked.pk)
    now = timezone.now()
    if locked.starts_at <= now:
        raise MailingError("This session has already started.")
    made = []
    for letter in letters:
        if locked.bookings.filter(student=letter.user, status__in=ActiveBookingStatuses).exists():
            continue
        made.append(
            Booking.objects.create(
                session=locked,
                student=letter.user,
                status=Booking.Status.CONFIRMED,
                joined_at=now,
                confirmed_at=now,
            ).pk
        )
    return {"session": locked.pk, "status": previous, "bookings": made}


def _revert(mailing: Mailing, data: dict) -> None:
    session = TeachingSession.objects.select_for_update().get(pk=data["session"])
    Booking.objects.filter(pk__in=data["bookings"], attended__isnull=True).delete()
    TeachingSession.objects.filter(pk=session.pk).update(status=data["status"])


register_action(
    MassAction(
        name="smallgroups.invite",
        verb="Invite them",
        kind="smallgroup_invitation",
        load=lambda pk: TeachingSession.objects.get(pk=pk, kind=TeachingSession.Kind.TUTORIAL),
        letters=_letters,
        apply=_apply,
        revert=_revert,
        title=lambda session: f"Invitations to {session.title}",
        back_url=lambda session: reverse("sessions_app:committee_edit", args=[session.pk]),
        explain="Confirming publishes the session and gives every invited member a confirmed "
        "place; undo takes the places back and returns the session to its earlier state.",
    )
)


def _invitation_titles(pks: list[int]) -> dict[int, str]:
    found = SlotInvitation.objects.filter(pk__in=pks).select_related("session")
    return {i.pk: i.session.title for i in found}


register_object_title("sessions_app.slotinvitation", _invitation_titles)
