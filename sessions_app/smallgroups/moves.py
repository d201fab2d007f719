"""Moving a member of a published group to another published group (the committee answering
a request to move): their coming places change series in one transaction and they get one
email with the new group's calendar entry. One person is emailed, so no mass-email window."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from meded.models import User
from meded.notifications import notify, register_kind
from sessions_app.booking.models import ActiveBookingStatuses, Booking
from sessions_app.booking.services import place
from sessions_app.scheduling.models import TeachingSession

from .engine.grid import cell_label
from .programme_models import GroupMember, MoveRequest, Programme, ProgrammeGroup
from .programmes import ProgrammeError, can_meet, free_for_term

KIND = "smallgroup_moved"
register_kind(KIND, "You have moved to another small group: when and where it meets.")


def move_published(
    actor: User | None,
    programme: Programme,
    student: User,
    group_id: int,
    *,
    now: datetime | None = None,
) -> GroupMember:
    """Checked like any move (room, free then); the old group's coming places are cancelled."""
    from .publishing import coming_meetings, group_ics

    now = now or timezone.now()
    target = ProgrammeGroup.objects.filter(programme=programme, pk=group_id).first()
    if target is None or target.series_id is None:
        raise ProgrammeError("Choose one of this programme's published groups.", "group")
    meetings = coming_meetings(programme, target, now)
    if not meetings:
        raise ProgrammeError("That group has no meeting left this term.", "group")
    attachments = group_ics(programme, target, meetings)  # rendered before any lock
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=programme.pk)
        member = (
            GroupMember.objects.select_for_update()
            .filter(programme=programme, student=student, booked=True)
            .select_related("group")
            .first()
        )
        if member is None:
            raise ProgrammeError(f"{student} has no published group to move from.", "student")
        if member.group_id == target.pk:
            raise ProgrammeError(f"{student} is already in that group.", "group")
        if target.members.count() >= programme.group_size:
            raise ProgrammeError(f"That group is full ({programme.group_size} students).", "group")
        if not can_meet(programme, free_for_term(programme, [student])[student.pk], target.start):
            day, time = cell_label(target.start)
            raise ProgrammeError(
                f"{student} is not free on {day} at {time} for {programme.minutes} minutes "
                "(their week or their busy dates).",
                "group",
            )
        Booking.objects.filter(
            student=student,
            session__series_id=member.group.series_id,
            session__starts_at__gt=now,
            status__in=ActiveBookingStatuses,
        ).update(status=Booking.Status.CANCELLED, cancelled_at=now, cancel_reason="moved_group")
        for session in TeachingSession.objects.filter(
            series_id=target.series_id,
            status=TeachingSession.Status.PUBLISHED,
            starts_at__gt=now,
        ):
            place(student, session, now=now)
        member.group = target
        member.save(update_fields=["group"])
        MoveRequest.objects.filter(
            programme=programme, member=student, handled_at__isnull=True
        ).update(handled_at=now, handled_by=actor)
        day, time = cell_label(target.start)
        notify(
            student,
            KIND,
            f"sessions_app.groupmember:{member.pk}:to{target.pk}",
            {"programme": programme, "group": target, "day": day, "time": time},
            attachments=attachments,
        )
        return member
