"""Editing a published session that several people hold places on is a mass email: held (not
saved, nobody emailed), previewed, confirmed and held for the undo window; undo puts the
session and the waiting list back; a double-click saves once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meded.notifications import mailings
from meded.notifications.mailings import MailingError
from meded.notifications.models import Mailing, SentEmail
from sessions_app.booking.models import Booking
from sessions_app.scheduling.models import SessionChange, TeachingSession
from sessions_app.scheduling.services import save_session
from tests.factories.core import CommitteeFactory, UserFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory
from tests.support.mailings import confirm_action, confirm_on_the_page

pytestmark = pytest.mark.django_db
CHANGE = "sessions.change_session"
T0 = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the night the clocks go back (BST -> GMT)
SPRING = datetime(2026, 3, 29, 0, 55, tzinfo=UTC)  # the night they go forward


def _waiting(session, n):
    return [
        BookingFactory(
            session=session,
            status=Booking.Status.WAITING,
            joined_at=timezone.now() + timedelta(minutes=i),
        )
        for i in range(n)
    ]


def moved_room(session: TeachingSession) -> SessionChange:
    previous = {"venue": session.venue, "capacity": session.capacity}
    session.venue = "Anatomy Lab B"
    return save_session(session, tutors=[], target_years=[], previous=previous)


def test_a_new_room_for_three_booked_is_held_unsaved_and_previewed_without_sending():
    session = TeachingSessionFactory()
    booked = [BookingFactory(session=session) for _ in range(3)]
    held = moved_room(session)
    assert isinstance(held, SessionChange)
    assert TeachingSession.objects.get(pk=session.pk).venue == "Lecture Theatre 1"
    shown = mailings.preview(CHANGE, held.pk)
    assert {letter.user.pk for letter in shown.letters} == {b.student_id for b in booked}
    assert "Anatomy Lab B" in shown.samples[0][1]["body_text"]
    assert SentEmail.objects.count() == 0 and Mailing.objects.count() == 0


@pytest.mark.parametrize("start", [T0, SPRING], ids=["autumn", "spring"])
def test_confirmed_change_waits_for_the_window_and_undo_puts_the_session_back(
    start, django_capture_on_commit_callbacks
):
    chair = CommitteeFactory()
    with time_machine.travel(start, tick=False):
        session = TeachingSessionFactory()
        for _ in range(2):
            BookingFactory(session=session)
        mailing = confirm_action(chair, CHANGE, moved_room(session).pk)
        saved = TeachingSession.objects.get(pk=session.pk)
        assert saved.venue == "Anatomy Lab B" and saved.sequence == 1
        assert set(mailing.emails.values_list("status", flat=True)) == {SentEmail.Status.HELD}
    with time_machine.travel(start + timedelta(minutes=9, seconds=59), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert mailings.release_due() == 0
        mailings.undo(chair, mailing.pk)
    back = TeachingSession.objects.get(pk=session.pk)
    assert back.venue == "Lecture Theatre 1" and back.sequence == 2  # calendars update again
    assert back.starts_at == session.starts_at
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            mailings.release_due()
        assert mail.outbox == []
    assert set(mailing.emails.values_list("status", flat=True)) == {SentEmail.Status.CANCELLED}


@time_machine.travel(T0, tick=False)
def test_more_places_are_offered_in_order_and_undo_returns_them_to_the_queue():
    chair = CommitteeFactory()
    session = TeachingSessionFactory(capacity=1)
    BookingFactory(session=session)
    first, second, third = _waiting(session, 3)
    session.capacity = 3
    held = save_session(session, tutors=[], target_years=[], previous={"capacity": 1})
    assert Booking.objects.filter(status=Booking.Status.OFFERED).count() == 0
    mailing = confirm_action(chair, CHANGE, held.pk)
    statuses = [Booking.objects.get(pk=b.pk).status for b in (first, second, third)]
    assert statuses == ["offered", "offered", "waiting"]
    assert set(mailing.emails.values_list("kind", flat=True)) == {"waitlist_offer"}
    mailings.undo(chair, mailing.pk)
    assert [Booking.objects.get(pk=b.pk).status for b in (first, second, third)] == ["waiting"] * 3
    assert TeachingSession.objects.get(pk=session.pk).capacity == 1


@time_machine.travel(T0, tick=False)
def test_undo_is_refused_once_the_emails_have_gone():
    chair = CommitteeFactory()
    session = TeachingSessionFactory()
    for _ in range(2):
        BookingFactory(session=session)
    mailing = confirm_action(chair, CHANGE, moved_room(session).pk)
    with (
        time_machine.travel(mailing.release_at, tick=False),
        pytest.raises(MailingError, match="Too late"),
    ):
        mailings.undo(chair, mailing.pk)
    assert TeachingSession.objects.get(pk=session.pk).venue == "Anatomy Lab B"


def test_an_edit_made_meanwhile_refuses_the_stale_change():
    session = TeachingSessionFactory()
    for _ in range(2):
        BookingFactory(session=session)
    held = moved_room(session)
    TeachingSession.objects.filter(pk=session.pk).update(sequence=5)
    with pytest.raises(MailingError, match="edited since"):
        mailings.preview(CHANGE, held.pk)


def test_the_edit_page_sends_the_committee_to_the_preview(client):
    from tests.sessions_app.scheduling.test_sessions_scheduling import form_data

    session = TeachingSessionFactory()
    for _ in range(2):
        BookingFactory(session=session)
    client.force_login(CommitteeFactory())
    start = timezone.localtime(session.starts_at)
    data = form_data(
        title=session.title,
        venue="Anatomy Lab B",
        starts_at=start.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        capacity="20",
    )
    response = client.post(reverse("sessions_app:committee_edit", args=[session.pk]), data)
    assert response.status_code == 302 and "/committee/mailings/new/" in response["Location"]
    assert TeachingSession.objects.get(pk=session.pk).venue == "Lecture Theatre 1"
    page = confirm_on_the_page(client, response).content.decode()
    assert "Confirmed: 2 email(s) held until" in page
    assert TeachingSession.objects.get(pk=session.pk).venue == "Anatomy Lab B"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_save_once():
    from tests.support.concurrency import run_together

    session = TeachingSessionFactory()
    for _ in range(3):
        BookingFactory(session=session, student=UserFactory())
    held = moved_room(session)
    shown = mailings.preview(CHANGE, held.pk)
    outcome = run_together(
        [lambda: mailings.confirm(None, CHANGE, held.pk, expected=shown.fingerprint)] * 2,
        refused_by=(MailingError,),
    )
    assert outcome.errors == []
    assert len(outcome.done) == 1 and len(outcome.refused) == 1
    assert Mailing.objects.count() == 1
    assert SentEmail.objects.filter(status=SentEmail.Status.HELD).count() == 3
    assert TeachingSession.objects.get(pk=session.pk).sequence == 1
