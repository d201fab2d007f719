"""Busy times imported from a member's calendar: files and feeds, repeats, all-day events and
time zones right across the GMT/BST change; a bad file changes nothing and says why."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from meded.periodic import run_periodic_tasks
from sessions_app.smallgroups import busy_times
from sessions_app.smallgroups.models import BusyBlock, CalendarFeed
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db
URL = "/availability/"
NOW = datetime(2027, 3, 15, 9, 0, tzinfo=UTC)  # a fortnight before the clocks go forward


def ics(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + body + "END:VCALENDAR\r\n"
    ).encode()


CHOIR = """UID:choir
SUMMARY:Choir practice
DTSTART;TZID=Europe/London:20270322T180000
DTEND;TZID=Europe/London:20270322T193000
RRULE:FREQ=WEEKLY;COUNT=3"""


def upload(client, data: bytes, name: str = "me.ics"):
    file = SimpleUploadedFile(name, data, content_type="text/calendar")
    return client.post(URL, {"action": "calendar_file", "calendar_file": file})


def blocks(member) -> list[tuple[str, str]]:
    return [
        (b.starts_at.astimezone(UTC).isoformat(), b.ends_at.astimezone(UTC).isoformat())
        for b in BusyBlock.objects.filter(member=member).order_by("starts_at")
    ]


@time_machine.travel(NOW, tick=False)
def test_a_weekly_event_stays_at_18_local_on_both_sides_of_the_clock_change(client):
    member = UserFactory()
    client.force_login(member)
    response = upload(client, ics(CHOIR))
    assert response.status_code == 302
    assert blocks(member) == [
        ("2027-03-22T18:00:00+00:00", "2027-03-22T19:30:00+00:00"),  # GMT
        ("2027-03-29T17:00:00+00:00", "2027-03-29T18:30:00+00:00"),  # BST: 18:00 local
        ("2027-04-05T17:00:00+00:00", "2027-04-05T18:30:00+00:00"),
    ]
    page = client.get(URL).content.decode()
    assert "Mon 29 Mar 2027, 18:00 \u2013 19:30" in page
    assert "Choir" not in page  # only the times are kept


@time_machine.travel(NOW, tick=False)
def test_all_day_events_block_the_whole_local_day_and_free_events_are_skipped(client):
    member = UserFactory()
    client.force_login(member)
    upload(
        client,
        ics(
            "UID:exam\nDTSTART;VALUE=DATE:20270401\nDTEND;VALUE=DATE:20270403",
            "UID:free\nDTSTART:20270320T100000Z\nDTEND:20270320T110000Z\nTRANSP:TRANSPARENT",
            "UID:off\nDTSTART:20270321T100000Z\nDTEND:20270321T110000Z\nSTATUS:CANCELLED",
        ),
    )
    # Thursday and Friday in BST: local midnight is 23:00 UTC the day before
    assert blocks(member) == [("2027-03-31T23:00:00+00:00", "2027-04-02T23:00:00+00:00")]


@time_machine.travel(NOW, tick=False)
def test_events_in_other_time_zones_and_floating_times_land_at_the_right_moment():
    member = UserFactory()
    data = ics(
        "UID:ny\nDTSTART;TZID=America/New_York:20270316T090000\n"
        "DTEND;TZID=America/New_York:20270316T100000",
        "UID:floating\nDTSTART:20270402T140000\nDURATION:PT1H",
    )
    assert busy_times.import_file(member, data) == 2
    assert blocks(member) == [
        ("2027-03-16T13:00:00+00:00", "2027-03-16T14:00:00+00:00"),  # New York is on EDT
        ("2027-04-02T13:00:00+00:00", "2027-04-02T14:00:00+00:00"),  # floating = London, BST
    ]


@time_machine.travel(NOW, tick=False)
def test_a_new_file_replaces_the_last_one_and_past_events_are_left_out():
    member = UserFactory()
    busy_times.import_file(member, ics(CHOIR))
    busy_times.import_file(
        member,
        ics(
            "UID:old\nDTSTART:20270301T100000Z\nDTEND:20270301T110000Z",
            "UID:new\nDTSTART:20270317T100000Z\nDTEND:20270317T110000Z",
        ),
    )
    assert blocks(member) == [("2027-03-17T10:00:00+00:00", "2027-03-17T11:00:00+00:00")]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"this is not a calendar", "This is not a calendar file (.ics) we can read."),
        (b"BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n", "This is not a calendar file"),
        (
            ics("UID:bad\nDTSTART:20270317T100000Z\nRRULE:FREQ=SOMETIMES"),
            "dates or repeats we cannot read",
        ),
        (b"", "The submitted file is empty."),
    ],
)
def test_a_bad_file_is_explained_next_to_its_field_and_changes_nothing(client, data, message):
    member = UserFactory()
    busy_times.import_file(member, ics(CHOIR))
    before = blocks(member)
    client.force_login(member)
    response = upload(client, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_calendar_file-note">' in page and message in page
    assert blocks(member) == before


def test_a_file_over_the_size_limit_is_refused(client, settings):
    member = UserFactory()
    client.force_login(member)
    response = upload(client, b"X" * (2 * 1024 * 1024 + 1))
    assert response.status_code == 400
    assert "The calendar is larger than 2 MB." in response.content.decode()
    assert not BusyBlock.objects.filter(member=member).exists()


@time_machine.travel(NOW, tick=False)
def test_a_feed_is_read_at_once_then_again_by_the_periodic_job_when_due(monkeypatch, client):
    member = UserFactory()
    served = [ics(CHOIR)]
    monkeypatch.setattr(busy_times, "fetch", lambda url: served[-1])
    monkeypatch.setattr(busy_times, "normalise", lambda url: url.strip())
    client.force_login(member)
    response = client.post(URL, {"action": "feed", "feed_url": "https://cal.example/me.ics"})
    assert response.status_code == 302
    assert len(blocks(member)) == 3
    served.append(ics("UID:one\nDTSTART:20270317T100000Z\nDTEND:20270317T110000Z"))
    assert run_periodic_tasks()["sessions_app.calendar_feeds"] == 0  # read an instant ago
    with time_machine.travel(datetime(2027, 3, 15, 15, 1, tzinfo=UTC), tick=False):
        assert run_periodic_tasks()["sessions_app.calendar_feeds"] == 1
    assert blocks(member) == [("2027-03-17T10:00:00+00:00", "2027-03-17T11:00:00+00:00")]


@time_machine.travel(NOW, tick=False)
def test_a_feed_that_breaks_keeps_its_busy_times_and_tells_the_member(monkeypatch, client):
    member = UserFactory()
    monkeypatch.setattr(busy_times, "fetch", lambda url: ics(CHOIR))
    busy_times.set_feed(member, "https://cal.example/me.ics")
    monkeypatch.setattr(busy_times, "fetch", lambda url: b"<html>moved</html>")
    CalendarFeed.objects.update(fetched_at=datetime(2027, 3, 1, tzinfo=UTC))
    assert busy_times.refresh_feeds() == 0
    assert len(blocks(member)) == 3
    client.force_login(member)
    assert "Last try: This is not a calendar file" in client.get(URL).content.decode()


@time_machine.travel(NOW, tick=False)
def test_forgetting_imports_removes_the_busy_times_and_the_feed(monkeypatch, client):
    member = UserFactory()
    monkeypatch.setattr(busy_times, "fetch", lambda url: ics(CHOIR))
    busy_times.set_feed(member, "https://cal.example/me.ics")
    busy_times.import_file(member, ics("UID:x\nDTSTART:20270317T100000Z\nDTEND:20270317T110000Z"))
    client.force_login(member)
    assert client.post("/availability/imports/forget/").status_code == 302
    assert not BusyBlock.objects.filter(member=member).exists()
    assert not CalendarFeed.objects.filter(member=member).exists()
