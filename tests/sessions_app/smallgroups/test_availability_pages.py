"""My availability: the week saved from the checkbox grid, dated exceptions, who may reach it."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from sessions_app.smallgroups import services
from sessions_app.smallgroups.models import AvailabilityException, WeeklyAvailability
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/availability/"
MON_18 = 36  # Monday 18:00
TUE_19 = 48 + 38


def test_visitor_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("factory", [UserFactory, TutorFactory, CommitteeFactory])
def test_every_member_keeps_their_own_week(client, factory):
    member = factory()
    client.force_login(member)
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"action": "week", "cell": [MON_18, TUE_19]})
    assert response.status_code == 302
    assert WeeklyAvailability.objects.get(member=member).free_cells == [MON_18, TUE_19]
    page = client.get(URL).content.decode()
    assert f'value="{MON_18}" data-row="20" data-col="0" checked' in page


def test_cells_outside_the_shown_grid_are_kept_and_unticked_cells_cleared(client):
    member = UserFactory()
    services.save_week(member, [4, MON_18, TUE_19])  # 02:00 Monday is off the grid
    client.force_login(member)
    client.post(URL, {"action": "week", "cell": [TUE_19]})
    assert WeeklyAvailability.objects.get(member=member).free_cells == [4, TUE_19]


def test_a_cell_that_is_not_on_the_grid_is_refused_and_nothing_changes(client):
    member = UserFactory()
    services.save_week(member, [MON_18])
    client.force_login(member)
    response = client.post(URL, {"action": "week", "cell": ["9999"]})
    assert response.status_code == 400
    assert WeeklyAvailability.objects.get(member=member).free_cells == [MON_18]


def test_exceptions_are_added_refused_when_backwards_and_removed_only_by_their_owner(client):
    member, other = UserFactory(), UserFactory()
    client.force_login(member)
    bad = client.post(
        URL, {"action": "exception", "starts_on": "2027-03-10", "ends_on": "2027-03-01"}
    )
    assert (
        bad.status_code == 400 and "The last day is before the first day." in bad.content.decode()
    )
    assert not AvailabilityException.objects.exists()
    client.post(
        URL,
        {
            "action": "exception",
            "starts_on": "2027-03-01",
            "ends_on": "2027-03-10",
            "label": "Exams",
        },
    )
    exception = AvailabilityException.objects.get(member=member)
    client.force_login(other)
    client.post(reverse("sessions_app:availability_remove_exception", args=[exception.pk]))
    assert AvailabilityException.objects.filter(pk=exception.pk).exists()
    client.force_login(member)
    assert client.get(URL).content.decode().count("Exams") == 1
    client.post(reverse("sessions_app:availability_remove_exception", args=[exception.pk]))
    assert not AvailabilityException.objects.exists()


def test_exception_removal_only_by_post(client):
    member = UserFactory()
    client.force_login(member)
    exception = services.add_exception(member, date(2027, 1, 1), date(2027, 1, 1))
    response = client.get(
        reverse("sessions_app:availability_remove_exception", args=[exception.pk])
    )
    assert response.status_code == 405


def test_the_profile_links_to_availability(client):
    client.force_login(UserFactory())
    assert 'href="/availability/"' in client.get(reverse("profile")).content.decode()
