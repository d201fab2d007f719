"""The calendar's VTIMEZONE is the compact yearly-rule form, and a second, independent parser
(vobject, which reads the file's own VTIMEZONE rather than its zone database) places sessions at
the same wall-clock time in GMT and in BST."""

from datetime import UTC, datetime, timedelta

import pytest
import vobject
from dateutil import rrule
from django.urls import reverse

from sessions_app.booking import vtimezone as vtz
from sessions_app.booking.calendar import build_calendar
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

pytestmark = pytest.mark.django_db

# 18:00 London on either side of the change on Sun 25 Oct 2026, and in next summer.
TIMES = [
    (datetime(2026, 10, 20, 17, 0, tzinfo=UTC), 18),  # BST
    (datetime(2026, 11, 3, 18, 0, tzinfo=UTC), 18),  # GMT
    (datetime(2027, 1, 12, 9, 30, tzinfo=UTC), 9),  # GMT, next year
    (datetime(2027, 6, 1, 8, 0, tzinfo=UTC), 9),  # BST, next year
]


def vobject_events(content: bytes):
    return list(vobject.readOne(content.decode()).vevent_list)


def test_the_vtimezone_has_two_yearly_rules_and_no_list_of_dates():
    text = vtz.vtimezone_text("Europe/London")
    assert "RDATE" not in text
    assert text.count("RRULE:FREQ=YEARLY") == 2
    assert "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" in text
    assert "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU" in text
    assert "DTSTART:19700329T010000" in text and "DTSTART:19701025T020000" in text


def test_it_is_built_once_per_process():
    vtz.vtimezone.cache_clear()
    first = vtz.vtimezone("Europe/London")
    assert vtz.vtimezone("Europe/London") is first
    assert vtz.vtimezone.cache_info().hits >= 1


def test_the_rules_match_the_zone_database_for_years_ahead():
    """The two RRULEs give exactly the zone's change instants (01:00 UTC) for ten years ahead."""
    from zoneinfo import ZoneInfo

    for year in range(2026, 2036):
        rules = [
            rrule.rrule(
                rrule.YEARLY, bymonth=m, byweekday=rrule.SU(-1), dtstart=datetime(year, 1, 1)
            )
            for m in (3, 10)
        ]
        expected = [r[0].replace(hour=1, tzinfo=UTC) for r in rules]
        assert vtz._transitions(ZoneInfo("Europe/London"), year) == expected


@pytest.mark.parametrize("zone", ["America/New_York", "Australia/Sydney", "Asia/Kolkata"])
def test_other_zones_get_a_valid_block_too(zone):
    text = vtz.vtimezone_text(zone)
    assert text.startswith("BEGIN:VTIMEZONE") and f"TZID:{zone}" in text and "RDATE" not in text


def test_a_second_parser_places_every_session_right_in_gmt_and_bst():
    sessions = [
        TeachingSessionFactory(starts_at=start, ends_at=start + timedelta(hours=1))
        for start, _ in TIMES
    ]
    content = build_calendar(sessions, name="test")
    by_uid = {str(e.uid.value): e for e in vobject_events(content)}
    for session, (start, local_hour) in zip(sessions, TIMES, strict=True):
        event = by_uid[f"session-{session.pk}@127.0.0.1"]
        dtstart = event.dtstart.value
        # vobject builds the tzinfo from the file's own VTIMEZONE, not from a zone database.
        assert type(dtstart.tzinfo).__module__.startswith(("dateutil", "vobject"))
        assert dtstart.hour == local_hour
        assert dtstart.astimezone(UTC) == start
        assert event.dtend.value.astimezone(UTC) == start + timedelta(hours=1)


def test_the_private_feed_reads_right_in_a_second_parser(client):
    booking = BookingFactory(
        session=TeachingSessionFactory(
            starts_at=TIMES[1][0], ends_at=TIMES[1][0] + timedelta(hours=1)
        )
    )
    TeachingSessionFactory(
        starts_at=TIMES[0][0], ends_at=TIMES[0][0] + timedelta(hours=1), tutors=[booking.student]
    )
    response = client.get(reverse("sessions_app:feed", args=[booking.student.calendar_token]))
    events = vobject_events(response.content)
    assert sorted(e.dtstart.value.astimezone(UTC) for e in events) == [TIMES[0][0], TIMES[1][0]]
    assert {e.dtstart.value.hour for e in events} == {18}
    assert response.content.count(b"BEGIN:VTIMEZONE") == 1
