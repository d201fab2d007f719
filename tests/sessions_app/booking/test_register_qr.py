"""The register: mark all present, walk-ins, and check-in by a rotating, throttled QR code."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from sessions_app.booking import qr_checkin
from sessions_app.booking.attendance import add_walk_in, mark_all_present
from sessions_app.errors import SessionError
from sessions_app.models import Booking
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def running():
    """A session that started ten minutes ago, with two confirmed bookings."""
    start = timezone.now().replace(microsecond=0) - timedelta(minutes=10)
    session = TeachingSessionFactory(
        starts_at=start, ends_at=start + timedelta(hours=1), capacity=3
    )
    a = BookingFactory(session=session, status=Booking.Status.CONFIRMED)
    b = BookingFactory(session=session, status=Booking.Status.CONFIRMED)
    return session, a, b


def test_mark_all_present_keeps_marked_absences(running):
    session, a, b = running
    Booking.objects.filter(pk=b.pk).update(attended=False)
    assert mark_all_present(CommitteeFactory(), session) == 1
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.attended is True and b.attended is False


def test_a_walk_in_gets_a_place_marked_present_within_capacity(running):
    session, *_ = running
    walker = UserFactory(email="walker@uni.test")
    booking = add_walk_in(CommitteeFactory(), session, "Walker@uni.test")
    assert booking.student == walker and booking.attended and booking.status == "confirmed"
    with pytest.raises(SessionError, match="full"):
        add_walk_in(CommitteeFactory(), session, UserFactory().email)
    with pytest.raises(SessionError, match="No member has the email") as exc:
        add_walk_in(CommitteeFactory(), session, "nobody@uni.test")
    assert exc.value.field == "email"


def test_a_student_cannot_add_walk_ins(running):
    session, *_ = running
    with pytest.raises(SessionError, match="tutors and the committee"):
        add_walk_in(UserFactory(), session, UserFactory().email)


def test_register_page_buttons(client, running):
    session, a, _ = running
    client.force_login(CommitteeFactory())
    url = f"/sessions/{session.pk}/register/"
    client.post(url, {"action": "all_present"})
    a.refresh_from_db()
    assert a.attended is True
    walker = UserFactory()
    client.post(url, {"action": "walk_in", "email": walker.email})
    assert session.bookings.filter(student=walker, attended=True).exists()
    page = client.get(url).content.decode()
    assert f"/sessions/{session.pk}/register/screen/" in page


def test_the_code_rotates_and_an_old_photo_stops_working(running):
    session, a, _ = running
    now = timezone.now()
    code = qr_checkin.code_for(session, now)
    assert qr_checkin.code_is_current(session, code, now)
    later = now + timedelta(seconds=qr_checkin.window_seconds())
    assert qr_checkin.code_is_current(session, code, later)  # a scan at the turn still works
    much_later = now + timedelta(seconds=3 * qr_checkin.window_seconds())
    assert qr_checkin.code_for(session, much_later) != code
    with pytest.raises(SessionError, match="expired"):
        qr_checkin.check_in_by_qr(a.student, session, code, now=much_later)
    booking = qr_checkin.check_in_by_qr(
        a.student, session, qr_checkin.code_for(session, now), now=now
    )
    assert booking.attended and booking.checked_in_at


def test_codes_are_per_session(running):
    session, *_ = running
    other = TeachingSessionFactory()
    assert qr_checkin.code_for(session) != qr_checkin.code_for(other)


def test_attempts_are_throttled_per_member(running):
    session, a, b = running
    for _ in range(qr_checkin.ATTEMPTS):
        with pytest.raises(SessionError, match="expired"):
            qr_checkin.check_in_by_qr(a.student, session, "000000000000")
    with pytest.raises(SessionError, match="Too many"):
        qr_checkin.check_in_by_qr(a.student, session, qr_checkin.code_for(session))
    # another member is not held back by it
    assert qr_checkin.check_in_by_qr(b.student, session, qr_checkin.code_for(session)).attended


@time_machine.travel("2026-10-25 00:59:30+00:00", tick=False)
def test_rotation_is_by_utc_seconds_across_the_clock_change():
    """01:59 BST -> 01:00 GMT: windows count UTC seconds, so no code repeats or jumps."""
    session = TeachingSessionFactory()
    before = qr_checkin.code_for(session)
    with time_machine.travel("2026-10-25 01:00:30+00:00", tick=False):
        after = qr_checkin.code_for(session)
        assert after != before and qr_checkin.code_is_current(session, before)


@pytest.mark.parametrize(
    "who,status",
    [(None, 302), (UserFactory, 403), (TutorFactory, 403), (CommitteeFactory, 200)],
)
def test_the_screen_is_for_those_who_run_the_session(client, running, who, status):
    session, *_ = running
    if who:
        client.force_login(who())
    response = client.get(f"/sessions/{session.pk}/register/screen/")
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        expected = qr_checkin.qr_svg("http://testserver" + qr_checkin.scan_path(session))
        assert "<svg" in body and expected in body  # the QR of the current code


def test_scanning_asks_then_checks_in_on_post(client, running):
    session, a, _ = running
    client.force_login(a.student)
    url = qr_checkin.scan_path(session)
    assert client.get(url).status_code == 200
    a.refresh_from_db()
    assert a.attended is None  # a GET (or a link preview) changes nothing
    response = client.post(url, follow=True)
    assert "You are checked in" in response.content.decode()
    a.refresh_from_db()
    assert a.attended is True
