"""The home page's small-groups section (`for_home`, two reads compiled once per process) shows
what the member's groups page knows (`for_member`): their groups, those they lead, the
programmes open to their year and whether they signed up."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from sessions_app.smallgroups import proposal
from sessions_app.smallgroups.programme_selectors import for_home, for_member
from sessions_app.smallgroups.programmes import sign_up
from tests.factories.core import UserFactory

from .programme_support import MON_18, TUE_18, member, programme_with

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2026, 10, 1, 9, tzinfo=UTC), tick=False):
        yield


def lines(found: dict) -> dict:
    def group(g):
        return (g.pk, g.programme.title, g.day, g.time, str(g.tutor), g.series_id)

    return {
        "groups": [group(g) for g in found["groups"]],
        "leading": [group(g) for g in found["leading"]],
        "open": [(p.pk, p.title, signed) for p, signed in found["open"]],
    }


def test_the_home_section_shows_what_the_groups_page_knows():
    programme, (monday_tutor, _), (monday_student, _) = programme_with(
        first_day=date(2026, 10, 12),
        size=2,
        leaders=[(MON_18, 1), (TUE_18, 1)],
        students=[MON_18, TUE_18],
    )
    proposal.run(programme)
    other, _, _ = programme_with(
        first_day=date(2026, 10, 12), title="Year 3 OSCE practice", leaders=[(TUE_18, 1)]
    )
    newcomer = member(cells=MON_18)
    sign_up(newcomer, other)
    year_two = UserFactory(year_of_study="2")
    people = [monday_student, monday_tutor, newcomer, year_two, UserFactory(verified_year="")]
    for person in people:
        assert lines(for_home(person)) == lines(for_member(person))
    student = lines(for_home(monday_student))
    assert [g[1] for g in student["groups"]] == ["Year 3 small groups"]
    assert student["groups"][0][4] == str(monday_tutor)
    assert [g[1] for g in lines(for_home(monday_tutor))["leading"]] == ["Year 3 small groups"]
    signed = {title: s for _pk, title, s in lines(for_home(newcomer))["open"]}
    assert signed == {"Year 3 small groups": False, "Year 3 OSCE practice": True}
    assert lines(for_home(year_two))["open"] == []


def test_the_home_page_prints_the_group_and_its_tutor(client):
    programme, (tutor,), (student,) = programme_with(
        first_day=date(2026, 10, 12), size=2, leaders=[(MON_18, 1)], students=[MON_18]
    )
    proposal.run(programme)
    client.force_login(student)
    page = client.get("/").content.decode()
    assert f"Year 3 small groups: every Mon at 18:00 with {tutor}" in page
    client.force_login(tutor)
    assert "You lead Year 3 small groups: every Mon at 18:00" in client.get("/").content.decode()
