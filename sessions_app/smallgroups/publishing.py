"""Publishing a programme's groups, as a mass email: previewed, confirmed, held, undoable.

Each group not yet published becomes a tutorial series with one session a week through the
rest of the term (the same local time each week, GMT or BST); each member not yet booked gets
a confirmed place on every coming session; each gets one email with the group as a weekly
calendar entry. Publishing again later publishes only what is new (a re-run for the unplaced).
Two committee members confirming at once publish once: the second finds the programme's
pending list changed under the programme's row lock and is refused.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from meded.notifications import register_kind
from meded.notifications.kinds import register_object_title
from meded.notifications.mailings import Letter, MailingError, MassAction, register_action
from meded.notifications.models import Mailing
from meded.prepared import PreparedForIds
from sessions_app.booking.models import Booking
from sessions_app.booking.services import place
from sessions_app.booking.vtimezone import vtimezone
from sessions_app.scheduling.models import Series, TeachingSession
from sessions_app.scheduling.services import publish as publish_session
from sessions_app.scheduling.services import save_session

from .engine.grid import cell_label
from .programme_models import GroupMember, Programme, ProgrammeGroup
from .programmes import ProgrammeError, meeting_times

ACTION = "smallgroups.publish"
KIND = "smallgroup_published"
register_kind(KIND, "Your small group: who leads it, when and where it meets all term.")


def coming_meetings(programme: Programme, group: ProgrammeGroup, now: datetime):
    return [(s, e) for s, e in meeting_times(programme, group.start) if s > now]


def group_ics(programme: Programme, group: ProgrammeGroup, meetings) -> list[dict]:
    """The group as one weekly calendar entry (TZID Europe/London: right across GMT/BST)."""
    tz = timezone.get_default_timezone()
    cal = Calendar()
    cal.add("prodid", f"-//{settings.SOCIETY_NAME}//meded//EN")
    cal.add("version", "2.0")
    cal.add_component(vtimezone(settings.TIME_ZONE))
    event = Event()
    host = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "meded"
    event.add("uid", f"smallgroup-{group.pk}@{host}")
    event.add("summary", f"{programme.title} (small group)")
    event.add("dtstart", meetings[0][0].astimezone(tz))
    event.add("dtend", meetings[0][1].astimezone(tz))
    event.add("dtstamp", timezone.now())
    event.add("rrule", {"freq": "weekly", "count": len(meetings)})
    event.add("location", programme.venue)
    cal.add_component(event)
    return [
        {
            "filename": f"small-group-{group.pk}.ics",
            "mimetype": "text/calendar",
            "content": cal.to_ical().decode(),
        }
    ]


def _pending(programme: Programme):
    groups = programme.groups.select_related("tutor").prefetch_related("members__student")
    return [g for g in groups if g.series_id is None or any(not m.booked for m in g.members.all())]


def letters(programme: Programme, now: datetime | None = None) -> list[Letter]:
    """Who would hear: members not yet booked, and tutors of groups not yet published."""
    now = now or timezone.now()
    out = []
    for group in _pending(programme):
        meetings = coming_meetings(programme, group, now)
        if not meetings:
            raise ProgrammeError(f"The group of {group.tutor} has no meeting left this term.")
        members = list(group.members.all())
        day, time = cell_label(group.start)
        context = {
            "programme": programme,
            "group": group,
            "day": day,
            "time": time,
            "meetings": meetings,
            "members": [m.student for m in members],
        }
        ics = group_ics(programme, group, meetings)
        if group.series_id is None:
            out.append(
                Letter(
                    group.tutor,
                    f"sessions_app.programmegroup:{group.pk}",
                    {**context, "leading": True},
                    "Tutor",
                    ics,
                )
            )
        for m in members:
            if not m.booked:
                out.append(
                    Letter(
                        m.student,
                        f"sessions_app.groupmember:{m.pk}",
                        {**context, "leading": False},
                        "Student",
                        ics,
                    )
                )
    if not out:
        raise ProgrammeError("Nothing new to publish: run the engine or move students first.")
    return out


def _series_title(programme: Programme, group: ProgrammeGroup) -> str:
    day, time = cell_label(group.start)
    return f"{programme.title}: group {group.pk} ({day} {time}, {group.tutor})"[:200]


def _publish_group(programme: Programme, group: ProgrammeGroup, now: datetime) -> Series:
    series = Series.objects.create(
        title=_series_title(programme, group),
        description=f"A small group of {programme.title}; places are given by the committee.",
    )
    for starts_at, ends_at in coming_meetings(programme, group, now):
        session = TeachingSession(
            title=f"{programme.title}: small group",
            series=series,
            kind=TeachingSession.Kind.TUTORIAL,
            delivery=TeachingSession.Delivery.IN_PERSON,
            venue=programme.venue,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=programme.group_size,
            booking_closes=now,  # closed to everyone else: the committee gives the places
        )
        save_session(session, tutors=[group.tutor], target_years=[programme.year])
        publish_session(session)
    group.series = series
    group.locked = True
    group.save(update_fields=["series", "locked"])
    return series


def apply(actor, programme: Programme, sent: list[Letter], now: datetime | None = None) -> dict:
    """Inside the confirming transaction: lock the programme, check, create and book."""
    now = now or timezone.now()
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    expected = {letter.object_key for letter in sent}
    if expected != {letter.object_key for letter in letters(programme, now)}:
        raise MailingError("The groups changed since you looked; check the new preview.")
    undo = {"programme": programme.pk, "state": programme.state, "series": [], "members": []}
    undo["unlocked"] = list(programme.groups.filter(locked=False).values_list("pk", flat=True))
    undo["bookings"] = []
    for group in _pending(programme):
        if group.series_id is None:
            undo["series"].append(_publish_group(programme, group, now).pk)
        sessions = group.series.sessions.filter(
            status=TeachingSession.Status.PUBLISHED, starts_at__gt=now
        )
        for member in group.members.all():
            if member.booked:
                continue
            for session in sessions:
                undo["bookings"].append(place(member.student, session, now=now).pk)
            member.booked = True
            member.save(update_fields=["booked"])
            undo["members"].append(member.pk)
    programme.groups.update(locked=True)
    programme.state = Programme.State.PUBLISHED
    programme.revision += 1
    programme.save(update_fields=["state", "revision"])
    return undo


def revert(mailing: Mailing, data: dict) -> None:
    """Take the publication back while its emails are held (nobody has been told yet)."""
    programme = Programme.objects.select_for_update().get(pk=data["programme"])
    Booking.objects.filter(pk__in=data["bookings"]).delete()
    GroupMember.objects.filter(pk__in=data["members"]).update(booked=False)
    ProgrammeGroup.objects.filter(series_id__in=data["series"]).update(series=None)
    ProgrammeGroup.objects.filter(pk__in=data["unlocked"]).update(locked=False)
    TeachingSession.objects.filter(series_id__in=data["series"]).delete()
    Series.objects.filter(pk__in=data["series"]).delete()
    programme.state = data["state"]
    programme.revision += 1
    programme.save(update_fields=["state", "revision"])


register_action(
    MassAction(
        name=ACTION,
        verb="Publish the groups",
        kind=KIND,
        load=lambda pk: Programme.objects.get(pk=pk),
        letters=letters,
        apply=apply,
        revert=revert,
        title=lambda p: f"Small groups of {p.title}",
        back_url=lambda p: reverse("sessions_app:programme", args=[p.pk]),
        explain="Confirming creates a tutorial series for each new group, with a session each "
        "week through the rest of the term, and gives its members confirmed places.",
    )
)


# What the outbox's emails are about, named on every visit: compiled once per process.
_MEMBER_TITLES = PreparedForIds(
    lambda ids: GroupMember.objects.filter(pk__in=ids).values_list("pk", "group__programme__title")
)
_GROUP_TITLES = PreparedForIds(
    lambda ids: ProgrammeGroup.objects.filter(pk__in=ids).values_list("pk", "programme__title")
)


def _titles(pks: list[int]) -> dict[int, str]:
    return dict(_MEMBER_TITLES.rows(ids=pks))


def _group_titles(pks: list[int]) -> dict[int, str]:
    return dict(_GROUP_TITLES.rows(ids=pks))


register_object_title("sessions_app.groupmember", _titles)
register_object_title("sessions_app.programmegroup", _group_titles)
