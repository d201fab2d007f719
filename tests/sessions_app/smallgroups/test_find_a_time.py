"""Find a time: best slots first with who cannot come; committee only; bad input is explained."""

from __future__ import annotations

from datetime import date

import pytest

from sessions_app.smallgroups import services
from sessions_app.smallgroups.engine.find_time import Attendee, find_times
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory

URL = "/committee/find-a-time/"
MONDAY = date(2027, 3, 1)


def test_slots_are_ranked_by_who_is_free_and_name_who_is_missing():
    evening = frozenset(range(36, 40))  # Monday 18:00-20:00
    people = [
        Attendee("Ada", evening),
        Attendee("Ben", frozenset({36, 37})),
        Attendee("Cy", evening, busy_dates=frozenset({MONDAY})),
    ]
    slots = find_times(people, MONDAY, MONDAY, 2)
    best = slots[0]
    assert (best.day, best.start, best.free, best.missing) == (MONDAY, 36, ("Ada", "Ben"), ("Cy",))
    assert [(s.start, s.free) for s in slots[1:]] == [(37, ("Ada",)), (38, ("Ada",))]


@pytest.mark.django_db
@pytest.mark.parametrize(("factory", "status"), [(UserFactory, 403), (TutorFactory, 403)])
def test_only_the_committee_finds_times(client, factory, status):
    client.force_login(factory())
    assert client.get(URL).status_code == status


@pytest.mark.django_db
def test_visitor_is_sent_to_log_in(client):
    assert client.get(URL).status_code == 302


@pytest.mark.django_db
def test_committee_sees_best_times_with_names(client):
    a, b = UserFactory(full_name="Ada Lovelace"), UserFactory(full_name="Ben Jones")
    services.save_week(a, range(36, 40))
    services.save_week(b, [36, 37])
    client.force_login(CommitteeFactory())
    response = client.get(
        URL,
        {
            "emails": f"{a.email}\n{b.email}",
            "minutes": 60,
            "first": "2027-03-01",
            "last": "2027-03-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mon 1 Mar, 18:00\u201319:00" in page and "2 of 2 free" in page
    assert "Cannot make it: Ben Jones" in page


@pytest.mark.django_db
def test_unknown_people_and_backwards_dates_are_explained(client):
    client.force_login(CommitteeFactory())
    response = client.get(
        URL,
        {"emails": "ghost@uni.ac.uk", "minutes": 60, "first": "2027-03-02", "last": "2027-03-01"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "No member with: ghost@uni.ac.uk" in page
    assert "The last day is before the first day." in page


@pytest.mark.django_db
def test_committee_dashboard_links_to_find_a_time(client):
    client.force_login(CommitteeFactory())
    assert 'href="/committee/find-a-time/"' in client.get("/committee/").content.decode()
