"""My availability and Small groups are kept by remember(): a change through a service shows on
the very next request, a member never sees another's, and a repeat visit costs a fixed few
queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sessions_app.smallgroups import programmes, services
from tests.factories.core import UserFactory

from .programme_support import MON_18, TUE_18, member, programme_with

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]


def next_monday() -> date:
    day = timezone.localdate() + timedelta(days=30)
    return day + timedelta(days=-day.weekday() % 7)


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def ticked(html: str, cell: int) -> bool:
    start = html.index(f'name="cell" value="{cell}"')
    return " checked>" in html[start : html.index(">", start) + 1]


def repeat_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_a_saved_week_and_a_busy_date_show_on_the_next_request_to_that_member_only(client):
    ann, bob = UserFactory(), UserFactory()
    cell = 20  # Monday 10:00
    assert not ticked(page(client, ann, "/availability/"), cell)
    assert not ticked(page(client, bob, "/availability/"), cell)
    services.save_week(ann, {cell})
    services.add_exception(ann, date(2030, 3, 4), date(2030, 3, 8), "Elective abroad")
    html = page(client, ann, "/availability/")
    assert ticked(html, cell) and "Elective abroad" in html
    html = page(client, bob, "/availability/")
    assert not ticked(html, cell) and "Elective abroad" not in html


def test_a_repeat_visit_to_my_availability_costs_the_same_with_1_and_20_busy_dates(client):
    ann = UserFactory()
    client.force_login(ann)
    services.add_exception(ann, date(2030, 1, 1), date(2030, 1, 1))
    one = repeat_queries(client, "/availability/")
    for day in range(2, 21):
        services.add_exception(ann, date(2030, 1, day), date(2030, 1, day))
    assert repeat_queries(client, "/availability/") == one
    assert one <= 4


def test_small_groups_show_each_member_their_own_sign_up(client):
    programme, _, _ = programme_with(
        first_day=next_monday(), size=2, leaders=[(MON_18, 1), (TUE_18, 1)], students=[]
    )
    ann, bob = member(cells=MON_18), member(cells=TUE_18)
    assert "Signed up" not in page(client, ann, "/small-groups/")
    programmes.sign_up(ann, programme)
    assert "Signed up" in page(client, ann, "/small-groups/")
    html = page(client, bob, "/small-groups/")
    assert "Signed up" not in html and "Sign up" in html
    one = repeat_queries(client, "/small-groups/")
    assert one <= 4
