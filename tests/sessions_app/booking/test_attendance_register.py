"""Attendance: the tutor's register, self check-in with the code, no-show counts."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from sessions_app.booking.attendance import check_in, mark_register
from sessions_app.booking.selectors import no_show_counts
from sessions_app.booking.services import book
from sessions_app.booking.views import attendance
from sessions_app.errors import SessionError
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def running():
    tutor = TutorFactory()
    start = timezone.now().replace(microsecond=0) + timedelta(days=1)
    session = TeachingSessionFactory(
        tutors=[tutor], starts_at=start, ends_at=start + timedelta(hours=1), checkin_code="ABC234"
    )
    return session, tutor


def test_check_in_works_from_15_minutes_before_to_the_end(running):
    session, _ = running
    booking = BookingFactory(session=session)
    early = session.starts_at - timedelta(minutes=16)
    with time_machine.travel(early, tick=False), pytest.raises(SessionError, match="15 minutes"):
        check_in(booking.student, session, "ABC234")
    with time_machine.travel(session.starts_at - timedelta(minutes=15), tick=False):
        assert check_in(booking.student, session, "abc234").attended is True
    with time_machine.travel(session.ends_at, tick=False), pytest.raises(SessionError):
        check_in(booking.student, session, "ABC234")


def test_wrong_code_and_no_booking_are_refused(running):
    session, _ = running
    booking = BookingFactory(session=session)
    other = BookingFactory(session=session, status="waiting")
    with time_machine.travel(session.starts_at, tick=False):
        with pytest.raises(SessionError, match="not right"):
            check_in(booking.student, session, "XXXXXX")
        with pytest.raises(SessionError, match="confirmed booking"):
            check_in(other.student, session, "ABC234")
    booking.refresh_from_db()
    assert booking.attended is None


def test_check_in_through_the_page(client, running):
    session, _ = running
    booking = BookingFactory(session=session)
    client.force_login(booking.student)
    with time_machine.travel(session.starts_at + timedelta(minutes=1), tick=False):
        page = client.get(reverse("sessions_app:detail", args=[session.pk])).content.decode()
        assert "Check-in code" in page
        client.post(reverse("sessions_app:checkin", args=[session.pk]), {"code": "ABC234"})
    booking.refresh_from_db()
    assert booking.attended and booking.checked_in_at


def test_tutor_marks_the_register(client, running):
    session, tutor = running
    came, missed = BookingFactory(session=session), BookingFactory(session=session)
    client.force_login(tutor)
    url = reverse("sessions_app:register", args=[session.pk])
    with time_machine.travel(session.starts_at, tick=False):
        assert client.get(url).status_code == 200
        client.post(url, {f"b{came.pk}": "attended", f"b{missed.pk}": "absent"})
    came.refresh_from_db()
    missed.refresh_from_db()
    assert (came.attended, missed.attended) == (True, False)


def test_register_is_for_its_tutors_and_the_committee(client, running, student_user):
    session, _ = running
    url = reverse("sessions_app:register", args=[session.pk])
    client.force_login(student_user)
    assert client.get(url).status_code == 403
    client.force_login(TutorFactory())  # a tutor, but not of this session
    assert client.get(url).status_code == 403
    client.force_login(CommitteeFactory())
    assert client.get(url).status_code == 200


def test_register_cannot_be_taken_long_before_the_session(running):
    session, tutor = running
    booking = BookingFactory(session=session)
    with pytest.raises(SessionError, match="opens 15 minutes"):
        mark_register(tutor, session, {booking.pk: True})


def test_no_shows_are_counted_per_student(client, running):
    session, _ = running
    absent = BookingFactory(session=session, attended=False)
    BookingFactory(session=session, attended=True)
    BookingFactory(student=absent.student, attended=False)
    rows = list(no_show_counts())
    assert [(u.pk, u.no_shows) for u in rows] == [(absent.student_id, 2)]
    client.force_login(CommitteeFactory())
    body = client.get(reverse("sessions_app:committee_no_shows")).content.decode()
    assert absent.student.email in body


@pytest.mark.usefixtures("steady_minute")
def test_the_register_is_kept_through_other_sessions_bookings_and_shows_its_own(
    client, running, monkeypatch
):
    """A tutor keeps the register open while students book other sessions all day: it reads
    only its own session's bookings, so only those change it."""
    session, tutor = running
    other = TeachingSessionFactory(capacity=10)
    BookingFactory(session=session, student__full_name="Ann Attendee")
    students = UserFactory.create_batch(2)
    drawn = []
    real = attendance._register
    monkeypatch.setattr(attendance, "_register", lambda s: drawn.append(1) or real(s))
    client.force_login(tutor)
    url = reverse("sessions_app:register", args=[session.pk])
    assert "1 booked" in client.get(url).content.decode()
    book(students[0], other)
    assert "1 booked" in client.get(url).content.decode()
    assert len(drawn) == 1  # another session's booking keeps it
    book(students[1], session)
    html = client.get(url).content.decode()
    assert "2 booked" in html and str(students[1]) in html
    assert len(drawn) == 2
