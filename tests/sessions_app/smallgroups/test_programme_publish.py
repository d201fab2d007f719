"""Publishing a programme: each group a tutorial series meeting weekly at the same local time
on both sides of a GMT/BST change, members booked, one email each with a calendar entry, all
held for the undo window; publishing again later publishes only what is new."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from meded.notifications import mailings
from meded.notifications.mailings import MailingError
from meded.notifications.models import SentEmail
from sessions_app.booking.models import Booking
from sessions_app.scheduling.models import Series, TeachingSession
from sessions_app.smallgroups import programmes, proposal
from sessions_app.smallgroups.programme_models import GroupMember, Programme
from sessions_app.smallgroups.programmes import ProgrammeError
from sessions_app.smallgroups.publishing import ACTION
from tests.factories.core import CommitteeFactory
from tests.support.mailings import confirm_action, confirm_and_release

from .programme_support import MON_18, TUE_18, member, programme_with

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _deliver_in_process():
    from meded.celery import app as celery_app

    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.mark.parametrize(
    ("now", "first_day", "utc_hours"),
    [
        # BST ends on Sunday 25 October 2026: 18:00 local is 17:00 UTC, then 18:00 UTC
        (datetime(2026, 10, 1, 9, tzinfo=UTC), date(2026, 10, 12), [17, 17, 18, 18]),
        # GMT ends on Sunday 28 March 2027: 18:00 local is 18:00 UTC, then 17:00 UTC
        (datetime(2027, 3, 1, 9, tzinfo=UTC), date(2027, 3, 15), [18, 18, 17, 17]),
    ],
)
def test_publishing_makes_weekly_sessions_at_the_same_local_time_across_the_clock_change(
    now, first_day, utc_hours, django_capture_on_commit_callbacks
):
    with time_machine.travel(now, tick=False):
        programme, (tutor,), people = programme_with(
            first_day=first_day, weeks=4, size=3, leaders=[(MON_18, 1)], students=[MON_18] * 3
        )
        proposal.run(programme)
        with django_capture_on_commit_callbacks(execute=True):
            mailing = confirm_action(CommitteeFactory(), ACTION, programme.pk)
        (series,) = Series.objects.all()
        sessions = list(series.sessions.order_by("starts_at"))
        assert [s.starts_at.astimezone(UTC).hour for s in sessions] == utc_hours
        assert {s.starts_at.astimezone(LONDON).strftime("%a %H:%M") for s in sessions} == {
            "Mon 18:00"
        }
        assert [s.starts_at.astimezone(LONDON).date() for s in sessions] == [
            first_day + timedelta(days=7 * w) for w in range(4)
        ]
        assert all(
            s.status == "published"
            and s.kind == "tutorial"
            and s.capacity == 3
            and list(s.tutors.all()) == [tutor]
            and s.venue == "Room 2"
            for s in sessions
        )
        for person in people:
            booked = Booking.objects.filter(student=person, status="confirmed")
            assert sorted(b.session_id for b in booked) == [s.pk for s in sessions]
        assert Programme.objects.get(pk=programme.pk).is_published
        assert programme.groups.get().locked
        # held for the undo window: nobody has an email yet
        assert mail.outbox == []
        assert mailing.emails.count() == 4  # three members and their tutor
    with (
        time_machine.travel(mailing.release_at, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        mailings.release_due()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in [*people, tutor])
    letter = next(m for m in mail.outbox if m.to[0] == people[0].email)
    assert "every Mon at 18:00" in letter.body and tutor.full_name in letter.body
    (_name, ics, mimetype) = letter.attachments[0]
    assert mimetype.startswith("text/calendar")
    assert "RRULE:FREQ=WEEKLY;COUNT=4" in ics
    assert "DTSTART;TZID=Europe/London:" + first_day.strftime("%Y%m%d") + "T180000" in ics
    assert "BEGIN:VTIMEZONE" in ics


@time_machine.travel(datetime(2026, 10, 1, 9, tzinfo=UTC), tick=False)
def test_undo_inside_the_window_takes_the_series_and_places_back():
    programme, _, _ = programme_with(
        first_day=date(2026, 10, 12), leaders=[(MON_18, 1)], students=[MON_18] * 2
    )
    proposal.run(programme)
    chair = CommitteeFactory()
    mailing = confirm_action(chair, ACTION, programme.pk)
    assert TeachingSession.objects.count() == 4 and Booking.objects.count() == 8
    mailings.undo(chair, mailing.pk)
    assert TeachingSession.objects.count() == 0 and Booking.objects.count() == 0
    assert Series.objects.count() == 0
    programme.refresh_from_db()
    assert not programme.is_published
    assert not programme.groups.get().locked
    assert not GroupMember.objects.filter(booked=True).exists()
    assert set(mailing.emails.values_list("status", flat=True)) == {SentEmail.Status.CANCELLED}
    # publishing again works, and writes the emails again
    again = confirm_action(chair, ACTION, programme.pk)
    assert again.emails.count() == 3


@time_machine.travel(datetime(2026, 10, 1, 9, tzinfo=UTC), tick=False)
def test_a_rerun_for_the_unplaced_publishes_only_what_is_new():
    programme, (_tutor,), people = programme_with(
        first_day=date(2026, 10, 12), size=3, leaders=[(MON_18, 1)], students=[MON_18] * 2
    )
    proposal.run(programme)
    chair = CommitteeFactory()
    confirm_and_release(chair, ACTION, programme.pk)
    with pytest.raises(ProgrammeError, match="Nothing new to publish"):
        mailings.preview(ACTION, programme.pk)
    newcomer = member(cells=MON_18)
    programmes.Enrolment.objects.create(programme=programme, student=newcomer)
    proposal.run(programme)  # the published group is locked and has room for one more
    group = programme.groups.get()
    assert group.members.count() == 3
    shown = mailings.preview(ACTION, programme.pk)
    assert [letter.user for letter in shown.letters] == [newcomer]
    confirm_action(chair, ACTION, programme.pk)
    assert Booking.objects.filter(student=newcomer, status="confirmed").count() == 4
    assert Series.objects.count() == 1
    assert Booking.objects.filter(student__in=people).count() == 8


@time_machine.travel(datetime(2026, 10, 1, 9, tzinfo=UTC), tick=False)
def test_a_proposal_changed_since_the_preview_is_not_published():
    programme, (_tutor,), (_a, b) = programme_with(
        first_day=date(2026, 10, 12), size=3, leaders=[(MON_18, 1)], students=[MON_18] * 2
    )
    proposal.run(programme)
    shown = mailings.preview(ACTION, programme.pk)
    GroupMember.objects.filter(student=b).delete()
    with pytest.raises(MailingError):
        mailings.confirm(None, ACTION, programme.pk, expected=shown.fingerprint)
    assert TeachingSession.objects.count() == 0
    assert not Programme.objects.get(pk=programme.pk).is_published


def test_a_place_given_by_the_committee_keeps_capacity_and_writes_no_email():
    from sessions_app.booking.services import place
    from sessions_app.errors import SessionError
    from tests.factories.core import UserFactory
    from tests.factories.sessions import TeachingSessionFactory

    session = TeachingSessionFactory(capacity=1, status="published")
    first = place(UserFactory(), session)
    assert first.status == "confirmed"
    with pytest.raises(SessionError, match="is full"):
        place(UserFactory(), session)
    with pytest.raises(SessionError, match="already has a booking"):
        place(first.student, session)
    assert SentEmail.objects.count() == 0


@time_machine.travel(datetime(2026, 10, 1, 9, tzinfo=UTC), tick=False)
def test_a_published_member_who_asked_is_moved_rebooked_and_told_once():
    from sessions_app.smallgroups.programme_models import MoveRequest

    programme, (mon, tue), (a, b, c) = programme_with(
        first_day=date(2026, 10, 12),
        size=2,
        leaders=[(MON_18, 1), (TUE_18, 1)],
        students=[[*MON_18, *TUE_18], MON_18, TUE_18],
    )
    proposal.run(programme)
    chair = CommitteeFactory()
    confirm_and_release(chair, ACTION, programme.pk)
    programme.refresh_from_db()
    monday, tuesday = programme.groups.get(tutor=mon), programme.groups.get(tutor=tue)
    source = GroupMember.objects.get(student=a).group  # a is free on both days
    target = tuesday if source == monday else monday  # two in source, one in target
    stuck = b if source == monday else c  # free only on the source's day
    with pytest.raises(ProgrammeError, match="is not free on"):
        proposal.move(chair, programme, stuck, target.pk)
    programmes.request_move(a, programme, "Another day suits me better")
    before = SentEmail.objects.count()
    proposal.move(chair, programme, a, target.pk)
    assert GroupMember.objects.get(student=a).group == target
    active = Booking.objects.filter(student=a, status="confirmed")
    assert {bk.session.series_id for bk in active} == {target.series_id}
    assert active.count() == 4
    assert Booking.objects.filter(student=a, cancel_reason="moved_group").count() == 4
    assert SentEmail.objects.count() == before + 1
    assert SentEmail.objects.latest("pk").kind == "smallgroup_moved"
    assert not MoveRequest.objects.filter(handled_at__isnull=True).exists()
