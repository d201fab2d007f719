"""The member's groups page, visited after a write (nothing remembered), reads its groups,
their members and the programmes open to the member by statements compiled once per process
(programme_selectors.for_member): the same page, without the ORM building its reads again."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.utils.html import escape

from sessions_app.smallgroups import proposal
from tests.support.remembering import cold_compiled, orm_compiles  # noqa: F401 (a fixture)

from .programme_support import MON_18, programme_with

pytestmark = pytest.mark.django_db
TABLES = ("sessions_app_programme", "sessions_app_groupmember", "sessions_app_moverequest")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2026, 10, 1, 9, tzinfo=UTC), tick=False):
        yield


@pytest.mark.parametrize("who", ["student", "tutor"])
def test_a_cold_visit_shows_the_group_and_its_members_without_compiling_them(
    client,
    orm_compiles,  # noqa: F811
    who,
):
    programme, (tutor,), (ann, bob) = programme_with(
        first_day=date(2026, 10, 12), size=3, leaders=[(MON_18, 1)], students=[MON_18, MON_18]
    )
    proposal.run(programme)
    client.force_login(ann if who == "student" else tutor)
    client.get("/small-groups/")  # the first visit in this process compiles the prepared reads
    body, compiled = cold_compiled(client, "/small-groups/", orm_compiles)
    assert f"Tutor: {escape(tutor)}." in body  # names as the page escapes them (O'Donnell)
    assert f"Group: {escape(', '.join(sorted([str(ann), str(bob)])))}" in body
    assert ("(you lead)" in body) == (who == "tutor")
    assert not [sql for sql in compiled if any(t in sql for t in TABLES)], compiled
