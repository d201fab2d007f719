"""Find a time as a heat map: the week, busy dates and imported busy blocks all count, right
across GMT/BST; the committee sees any set of people, a tutor only their own groups, and a
slot becomes a session (clash checks) whose invitations are previewed, held and undoable."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from meded.notifications import mailings
from sessions_app.booking.models import Booking
from sessions_app.scheduling.models import TeachingSession
from sessions_app.smallgroups import busy_times, services
from sessions_app.smallgroups.engine.find_time import heat_map, rank
from sessions_app.smallgroups.models import SlotInvitation
from sessions_app.smallgroups.selectors import attendees
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

pytestmark = pytest.mark.django_db
URL = "/committee/find-a-time/"
TUTOR_URL = "/teaching/find-a-time/"
SLOT_URL = "/committee/find-a-time/session/"
MON_EVENING = range(36, 40)  # Monday 18:00-20:00
GMT_MONDAY, BST_MONDAY = date(2027, 3, 22), date(2027, 3, 29)


def ics_event(start_utc: str, end_utc: str) -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:1\r\n"
        f"DTSTART:{start_utc}\r\nDTEND:{end_utc}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


@pytest.fixture
def trio():
    ada, ben, cy = (UserFactory(full_name=n) for n in ("Ada", "Ben", "Cyrus"))
    for member in (ada, ben, cy):
        services.save_week(member, MON_EVENING)
    # Ben's calendar: 17:00-18:00 UTC on the BST Monday is 18:00-19:00 in London
    busy_times.import_file(
        ben, ics_event("20270329T170000Z", "20270329T180000Z"), now=datetime(2027, 3, 1, tzinfo=UTC)
    )
    services.add_exception(cy, GMT_MONDAY, GMT_MONDAY, "Exam")
    return ada, ben, cy


def test_the_heat_map_counts_week_busy_dates_and_imported_blocks(trio):
    people = attendees(list(trio), GMT_MONDAY, BST_MONDAY)
    grid = heat_map(people, GMT_MONDAY, BST_MONDAY, 2)
    by_start = {(s.day, s.start): s for row in grid for s in row}
    assert by_start[(GMT_MONDAY, 36)].missing == ("Cyrus",)  # her exam date
    assert by_start[(BST_MONDAY, 36)].missing == ("Ben",)  # his 18:00 local busy block
    assert by_start[(BST_MONDAY, 37)].missing == ("Ben",)  # 18:30-19:30 overlaps it
    assert by_start[(BST_MONDAY, 38)].free == ("Ada", "Ben", "Cyrus")  # 19:00, after it
    assert by_start[(date(2027, 3, 23), 36)].free == ()  # Tuesday: nobody's week
    best = rank(grid, limit=1)[0]
    assert (best.day, best.start, len(best.free)) == (BST_MONDAY, 38, 3)


def test_the_page_shows_counts_as_text_and_the_best_slots_with_who_is_missing(client, trio):
    client.force_login(CommitteeFactory())
    emails = "\n".join(m.email for m in trio)
    response = client.get(
        URL, {"emails": emails, "minutes": 60, "first": "2027-03-29", "last": "2027-03-29"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mon 29 Mar, 19:00\u201320:00" in page and "3 of 3 free" in page
    assert "Cannot make it: Ben" in page
    row = page.split('<th scope="row">Mon 29 Mar</th>')[1].split("</tr>")[0]
    assert '<td class="heat-3">2</td><td class="heat-3">2</td><td class="heat-4">3</td>' in row
    assert 'role="region" tabindex="0"' in page  # the wide table scrolls by keyboard


def _tutorial(tutor, students, **kw):
    session = TeachingSessionFactory(
        kind=TeachingSession.Kind.TUTORIAL, tutors=[tutor], title="Renal tutorial", **kw
    )
    for s in students:
        BookingFactory(session=session, student=s)
    return session


def test_a_tutor_finds_times_only_for_their_own_groups(client, trio):
    tutor, other_tutor = TutorFactory(full_name="Tess"), TutorFactory()
    mine = _tutorial(tutor, trio[:2])
    theirs = _tutorial(other_tutor, trio[2:])
    client.force_login(tutor)
    assert client.get(URL).status_code == 403
    assert client.get(SLOT_URL).status_code == 403
    page = client.get(TUTOR_URL).content.decode()
    assert f'value="session:{mine.pk}"' in page and f"session:{theirs.pk}" not in page
    assert 'name="emails"' not in page  # no picking arbitrary members
    query = {"minutes": 60, "first": "2027-03-29", "last": "2027-03-29"}
    ok = client.get(TUTOR_URL, {**query, "who": f"session:{mine.pk}"})
    assert ok.status_code == 200 and "of 3 free" in ok.content.decode()  # Tess, Ada, Ben
    forged = client.get(TUTOR_URL, {**query, "who": f"session:{theirs.pk}"})
    # nothing of theirs (a name long enough that no random token on the page holds it)
    assert forged.status_code == 400 and "Cyrus" not in forged.content.decode()
    picked = client.get(TUTOR_URL, {**query, "emails": trio[2].email})
    assert picked.status_code == 400 and "Choose one of your groups." in picked.content.decode()


@pytest.mark.parametrize("url", [URL, TUTOR_URL, SLOT_URL])
def test_a_student_sees_nobodys_availability(client, url):
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_the_committee_can_look_at_the_committee(client):
    chair, other = CommitteeFactory(full_name="Chair"), CommitteeFactory(full_name="Other")
    services.save_week(other, MON_EVENING)
    client.force_login(chair)
    response = client.get(
        URL, {"who": "committee", "minutes": 60, "first": "2027-03-29", "last": "2027-03-29"}
    )
    assert "1 of 2 free" in response.content.decode()
    assert "Cannot make it: Chair" in response.content.decode()


def _slot_query(people, day="2027-03-29", start="19:00"):
    return (
        f"?emails={'%0A'.join(p.email for p in people)}&minutes=60&first={day}&last={day}"
        f"&day={day}&start={start}"
    )


def test_one_click_makes_the_session_and_the_invitations_are_previewed_held_undone(
    client, trio, mailoutbox
):
    tutor = TutorFactory(full_name="Tess")
    chair = CommitteeFactory()
    client.force_login(chair)
    query = _slot_query([tutor, *trio])
    form = client.get(SLOT_URL + query)
    assert form.status_code == 200
    leaders = form.content.decode().split("<legend")[1].split("</fieldset>")[0]
    assert f'name="leaders" value="{tutor.pk}" id="id_leaders_3" checked' in leaders  # Tess
    assert leaders.count("checked") == 1  # the students are invited, not leading
    response = client.post(
        SLOT_URL + query,
        {
            "title": "Renal group 1",
            "delivery": "in_person",
            "venue": "Room 4",
            "leaders": [tutor.pk],
        },
    )
    session = TeachingSession.objects.get(title="Renal group 1")
    assert response.status_code == 302
    assert response["Location"] == f"/committee/mailings/new/smallgroups.invite/{session.pk}/"
    assert session.status == TeachingSession.Status.DRAFT
    assert session.starts_at == datetime(2027, 3, 29, 18, 0, tzinfo=UTC)  # 19:00 BST
    assert list(session.tutors.all()) == [tutor]
    assert {i.member for i in SlotInvitation.objects.filter(session=session)} == set(trio)
    preview_page = client.get(response["Location"]).content.decode()
    assert all(m.email in preview_page for m in trio) and tutor.email not in preview_page
    shown = mailings.preview("smallgroups.invite", session.pk)
    mailing = mailings.confirm(chair, "smallgroups.invite", session.pk, expected=shown.fingerprint)
    session.refresh_from_db()
    assert session.status == TeachingSession.Status.PUBLISHED
    booked = Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED)
    assert {b.student for b in booked} == set(trio)
    assert mailoutbox == []  # held for the undo window
    mailings.undo(chair, mailing.pk)
    session.refresh_from_db()
    assert session.status == TeachingSession.Status.DRAFT
    assert not Booking.objects.filter(session=session).exists()


def test_a_slot_that_clashes_with_the_leaders_teaching_is_refused_and_nothing_is_made(client, trio):
    tutor = TutorFactory(full_name="Tess")
    TeachingSessionFactory(
        title="Cardio lecture",
        tutors=[tutor],
        starts_at=datetime(2027, 3, 29, 17, 30, tzinfo=UTC),
        ends_at=datetime(2027, 3, 29, 18, 30, tzinfo=UTC),
    )
    client.force_login(CommitteeFactory())
    response = client.post(
        SLOT_URL + _slot_query([tutor, *trio]),
        {
            "title": "Renal group 1",
            "delivery": "in_person",
            "venue": "Room 4",
            "leaders": [tutor.pk],
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "also teaches \u201cCardio lecture\u201d" in page and "Choose another slot." in page
    assert not TeachingSession.objects.filter(title="Renal group 1").exists()


def test_a_chosen_member_already_booked_then_is_named_and_nothing_is_made(client, trio):
    tutor = TutorFactory()
    BookingFactory(
        student=trio[1],
        session=TeachingSessionFactory(
            starts_at=datetime(2027, 3, 29, 18, 0, tzinfo=UTC),
            ends_at=datetime(2027, 3, 29, 19, 0, tzinfo=UTC),
            venue="Elsewhere",
        ),
    )
    client.force_login(CommitteeFactory())
    response = client.post(
        SLOT_URL + _slot_query([tutor, *trio]),
        {
            "title": "Renal group 1",
            "delivery": "in_person",
            "venue": "Room 4",
            "leaders": [tutor.pk],
        },
    )
    assert response.status_code == 400
    assert "Already in another session at that time: Ben." in response.content.decode()
    assert not TeachingSession.objects.filter(title="Renal group 1").exists()


def test_a_forged_slot_goes_back_to_find_a_time(client):
    client.force_login(CommitteeFactory())
    response = client.get(SLOT_URL + "?emails=x@y.z&minutes=60&day=2027-13-01&start=25:99")
    assert response.status_code == 302 and response["Location"] == URL


def test_busy_cells_follow_the_clocks_going_back_in_october():
    from sessions_app.smallgroups.selectors import local_cells

    # 00:30-02:30 UTC on 31 Oct 2027: 01:30 BST, then 01:00, 01:30 and 02:00 GMT
    cells = local_cells(
        datetime(2027, 10, 31, 0, 30, tzinfo=UTC), datetime(2027, 10, 31, 2, 30, tzinfo=UTC)
    )
    assert cells == {(date(2027, 10, 31), 2), (date(2027, 10, 31), 3), (date(2027, 10, 31), 4)}
    # and a summer block lands an hour later on the local grid than its UTC time
    assert local_cells(
        datetime(2027, 6, 7, 17, 0, tzinfo=UTC), datetime(2027, 6, 7, 18, 0, tzinfo=UTC)
    ) == {(date(2027, 6, 7), 36), (date(2027, 6, 7), 37)}


def test_the_heat_map_reads_as_many_queries_for_twenty_people_as_for_one(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(CommitteeFactory())
    counts = []
    for size in (1, 20):
        people = UserFactory.create_batch(size)
        for p in people:
            services.save_week(p, MON_EVENING)
            busy_times.import_file(
                p,
                ics_event("20270329T170000Z", "20270329T180000Z"),
                now=datetime(2027, 3, 1, tzinfo=UTC),
            )
        query = {"emails": "\n".join(p.email for p in people), "minutes": 60}
        with CaptureQueriesContext(connection) as seen:
            client.get(URL, {**query, "first": "2027-03-29", "last": "2027-04-04"})
        counts.append(len(seen))
    assert counts[0] == counts[1]
