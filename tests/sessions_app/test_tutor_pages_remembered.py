"""The tutor's teaching pages are remembered per member: a change made through a service shows
on the next request, nobody sees another member's page, a cached form still carries this
visitor's CSRF token, and a second visit costs the same few queries at any size."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sessions_app.booking.attendance import mark_register
from sessions_app.cover.services import ask_for_cover
from sessions_app.models import TeachingSession
from sessions_app.scheduling import slots
from tests.factories.core import CommitteeFactory, TutorFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory
from tests.sessions_app.scheduling.test_teaching_slots import MONDAY, add, release, released_round

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
DATES, LOAD = reverse("sessions_app:my_teaching_slots"), reverse("sessions_app:teaching_load")
FIND = reverse("sessions_app:my_groups_find_a_time")


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def second_visit(client, url: str) -> int:
    html(client, url)
    with CaptureQueriesContext(connection) as ctx:
        html(client, url)
    return len(ctx.captured_queries)


# ----- teaching dates ----------------------------------------------------------------------


def test_a_slot_picked_shows_as_the_date_on_the_next_visit(client):
    round, (tutor,), (offering,) = released_round()
    slot = add(round, MONDAY + timedelta(days=1))[0]
    release(round)
    client.force_login(tutor)
    assert "Your date:" not in html(client, DATES)
    slots.pick_slot(tutor, slot.pk, offering.pk)
    assert "Your date:" in html(client, DATES)


def test_two_tutors_see_only_their_own_topics(client):
    round, (ann, bob), (mine, theirs) = released_round(2, years=())
    add(round, MONDAY + timedelta(days=1))
    release(round)
    client.force_login(ann)
    page = html(client, DATES)
    assert mine.topic.code in page and theirs.topic.code not in page
    client.force_login(bob)
    page = html(client, DATES)
    assert theirs.topic.code in page and mine.topic.code not in page


def test_a_remembered_form_posts_with_this_visitors_csrf_token():
    round, (tutor,), (offering,) = released_round()
    slot = add(round, MONDAY + timedelta(days=1))[0]
    release(round)
    client = Client(enforce_csrf_checks=True)
    client.force_login(tutor)
    html(client, DATES)
    page = html(client, DATES)  # from the cache
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = {"csrfmiddlewaretoken": token, "slot": slot.pk, "offering": offering.pk}
    assert client.post(DATES, data).status_code == 302
    assert TeachingSession.objects.filter(offering=offering).exists()


def test_teaching_dates_second_visit_costs_the_same_for_1_or_8_slots(client):
    def build(n: int) -> int:
        round, (tutor,), _ = released_round()
        for i in range(n):
            add(round, MONDAY + timedelta(days=7 * i + 1))
        release(round)
        client.force_login(tutor)
        return second_visit(client, DATES)

    assert build(1) == build(8) <= 3


# ----- teaching load -----------------------------------------------------------------------


def test_cover_asked_for_shows_on_the_next_visit_and_only_to_its_tutor(client):
    tutor, other = TutorFactory(), TutorFactory()
    session = TeachingSessionFactory(tutors=[tutor], title="Heart failure")
    client.force_login(tutor)
    assert "I can teach it after all" not in html(client, LOAD)
    ask_for_cover(tutor, session)
    assert "I can teach it after all" in html(client, LOAD)
    client.force_login(other)
    assert "Heart failure" not in html(client, LOAD)


def test_teaching_load_second_visit_costs_the_same_for_1_or_20_sessions(client):
    def build(n: int) -> int:
        tutor = TutorFactory()
        for _ in range(n):
            ask_for_cover(tutor, TeachingSessionFactory(tutors=[tutor]))
        client.force_login(tutor)
        return second_visit(client, LOAD)

    assert build(1) == build(20) <= 3


# ----- the register and its QR screen ------------------------------------------------------


def _running(n_bookings: int = 1):
    tutor = TutorFactory()
    start = timezone.now().replace(microsecond=0) - timedelta(minutes=5)  # running: open
    session = TeachingSessionFactory(
        tutors=[tutor], starts_at=start, ends_at=start + timedelta(hours=1)
    )
    return tutor, session, [BookingFactory(session=session) for _ in range(n_bookings)]


def test_a_mark_shows_on_the_register_at_the_next_visit(client):
    tutor, session, (booking,) = _running()
    url = reverse("sessions_app:register", args=[session.pk])
    client.force_login(tutor)
    attended = f'id="b{booking.pk}-a" value="attended" checked'
    assert attended not in html(client, url)
    mark_register(tutor, session, {booking.pk: True})
    assert attended in html(client, url)


def test_each_register_shows_its_own_students_to_its_tutor_and_the_committee(client):
    ann, first, (a,) = _running()
    bob, second, (b,) = _running()
    committee = CommitteeFactory()
    for who, session, mine, other in ((ann, first, a, b), (bob, second, b, a)):
        for member in (who, committee):
            client.force_login(member)
            page = html(client, reverse("sessions_app:register", args=[session.pk]))
            assert mine.student.email in page and other.student.email not in page


def test_register_second_visit_costs_the_same_for_1_or_20_bookings(client):
    def build(n: int) -> int:
        tutor, session, _ = _running(n)
        client.force_login(tutor)
        return second_visit(client, reverse("sessions_app:register", args=[session.pk]))

    assert build(1) == build(20)


def test_the_qr_code_is_drawn_once_per_code_and_changes_with_it(client, settings):
    settings.MEDED_CHECKIN_QR_SECONDS = 60
    tutor, session, _ = _running()
    url = reverse("sessions_app:checkin_screen", args=[session.pk])
    client.force_login(tutor)
    with time_machine.travel(timezone.now().replace(second=5), tick=False) as clock:
        first = re.search(r"<svg.*?</svg>", html(client, url), re.S).group(0)
        assert re.search(r"<svg.*?</svg>", html(client, url), re.S).group(0) == first
        clock.shift(timedelta(seconds=60))
        assert re.search(r"<svg.*?</svg>", html(client, url), re.S).group(0) != first


# ----- find a time, before a search --------------------------------------------------------


def test_a_new_tutorial_group_shows_on_the_next_visit_and_only_to_its_tutor(client):
    ann, bob = TutorFactory(), TutorFactory()
    client.force_login(ann)
    assert "Group of Renal tutorial" not in html(client, FIND)
    TeachingSessionFactory(tutors=[ann], title="Renal tutorial", kind="tutorial")
    assert "Group of Renal tutorial" in html(client, FIND)
    client.force_login(bob)
    assert "Group of Renal tutorial" not in html(client, FIND)
    assert second_visit(client, FIND) <= 3
