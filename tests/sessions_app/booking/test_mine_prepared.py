"""My bookings after a write: its reads are compiled once per process, yet they find the same
bookings, in the same order, with the same queue places and session details as the ORM's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.utils import timezone

from sessions_app.booking import mine
from sessions_app.booking.selectors import my_coming_bookings, my_past_bookings
from sessions_app.scheduling.models import TeachingSession
from tests.factories.core import UserFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory
from tests.support.remembering import cold_compiled, orm_compiles  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
URL = "/sessions/mine/"


def _shown(b) -> tuple:
    s = b.session
    return (
        b.pk,
        b.status,
        b.cancel_reason,
        b.cancelled_late,
        b.attended,
        b.offer_expires_at,
        getattr(b, "n_ahead", None),
        (s.pk, s.title, s.starts_at, s.ends_at, s.delivery, s.venue, s.status),
        (s.is_cancelled, s.has_started, s.get_delivery_display()),
    )


@pytest.fixture
def student():
    """Coming bookings of every status (one behind two others on a waiting list, a cancelled
    session), and 30 past or cancelled ones (two pages)."""
    member, now = UserFactory(), timezone.now()
    full = TeachingSessionFactory(capacity=1, title="Full <one>")
    BookingFactory(session=full)
    for minutes in (1, 2):
        BookingFactory(session=full, status="waiting", joined_at=now - timedelta(hours=minutes))
    BookingFactory(session=full, student=member, status="waiting", joined_at=now)
    BookingFactory(student=member, status="offered", offer_expires_at=now + timedelta(hours=5))
    online = TeachingSessionFactory(delivery=TeachingSession.Delivery.ONLINE, venue="")
    BookingFactory(student=member, session=online)
    gone = TeachingSessionFactory(status=TeachingSession.Status.CANCELLED)
    BookingFactory(
        student=member, session=gone, status="cancelled", cancel_reason="session_cancelled"
    )
    for i in range(30):
        start = now - timedelta(days=2, hours=i)
        old = TeachingSessionFactory(starts_at=start, ends_at=start + timedelta(minutes=30))
        BookingFactory(student=member, session=old, attended=[True, False, None][i % 3])
    return member


def test_the_prepared_reads_show_what_the_orm_reads_show(student):
    now = timezone.now()
    orm_coming = list(my_coming_bookings(student, now))
    assert [_shown(b) for b in mine.coming(student.pk, now)] == [_shown(b) for b in orm_coming]
    assert [b.n_ahead for b in orm_coming if b.status == "waiting"] == [2]
    for number in ("", "2", "3", "x"):
        orm = Paginator(my_past_bookings(student, now), mine.PAST_PAGE).get_page(number)
        page, past = mine.past_page(student.pk, now, number)
        assert [_shown(b) for b in past] == [_shown(b) for b in orm.object_list]
        assert (
            (page.number, page.paginator.count)
            == (orm.number, orm.paginator.count)
            == (
                orm.number,
                31,
            )
        )


def test_a_cold_visit_compiles_only_the_member_and_their_groups(client, orm_compiles, student):  # noqa: F811
    client.force_login(student)
    for url in (URL, URL + "?page=2"):
        client.get(url)  # the first visit in this process compiles the prepared reads
        body, compiled = cold_compiled(client, url, orm_compiles)
        assert "Page" in body and "Full &lt;one&gt;" in body
        assert len(compiled) <= 2, compiled  # the member and their groups (the sign-in's)


def test_each_row_links_to_the_pages_the_template_reversed(student):
    from django.urls import reverse

    for b in mine.coming(student.pk, timezone.now()):
        for name in mine.HREFS:
            assert b.href[name] == reverse(f"sessions_app:{name}", args=[b.session.pk])


def test_the_content_kept_per_process_follows_every_value_it_shows(client, student):
    from sessions_app.booking.models import Booking

    client.force_login(student)
    page = client.get(URL).content.decode()
    assert "Waiting list, number 3" in page and "Page 1 of 2" in page
    ahead = Booking.objects.filter(session__title="Full <one>", status="waiting")
    ahead.exclude(student=student).order_by("joined_at").first().delete()
    assert "Waiting list, number 2" in client.get(URL).content.decode()
    TeachingSession.objects.filter(title="Full <one>").update(venue="Room <9>")
    assert "Room &lt;9&gt;" in client.get(URL).content.decode()
    page = client.get(URL + "?page=2&x=1").content.decode()
    assert "Page 2 of 2" in page and "?x=1&amp;page=1" in page
    client.force_login(UserFactory())
    page = client.get(URL).content.decode()
    assert "You have nothing booked." in page and "Full &lt;one&gt;" not in page


def test_a_page_of_the_past_reads_its_own_rows_only(student):
    """The past is counted in SQL and read a page at a time: a long history is never read whole
    (its cost stays the same as the history grows)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        page, past = mine.past_page(student.pk, timezone.now(), "2")
    assert len(past) == 6 and page.number == 2
    reads = [q["sql"] for q in ctx.captured_queries if "sessions_app_booking" in q["sql"]]
    assert any("COUNT(*)" in sql for sql in reads)
    assert all("COUNT(*)" in sql or "LIMIT" in sql or " IN (" in sql for sql in reads), reads
