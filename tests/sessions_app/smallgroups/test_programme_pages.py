"""Programme pages: who may open them, the committee's create/review/move/lock/run, members'
sign-up and ask-to-move, links from both homes, and constant queries per page."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sessions_app.smallgroups import proposal
from sessions_app.smallgroups.programme_models import Enrolment, MoveRequest, Programme
from sessions_app.smallgroups.publishing import ACTION
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory, year
from tests.support.mailings import confirm_action

from .programme_support import MON_18, TUE_18, member, programme_with

pytestmark = pytest.mark.django_db
TERM = date(2026, 10, 12)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2026, 10, 1, 9, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def programme():
    found, _, _ = programme_with(
        first_day=TERM, size=2, leaders=[(MON_18, 1), (TUE_18, 1)], students=[MON_18, TUE_18]
    )
    return found


def committee_urls(p):
    return [
        "/committee/programmes/",
        "/committee/programmes/new/",
        f"/committee/programmes/{p.pk}/",
    ]


@pytest.mark.parametrize("factory", [UserFactory, TutorFactory])
def test_students_and_tutors_may_not_open_or_change_a_programme(client, factory, programme):
    client.force_login(factory())
    for url in committee_urls(programme):
        assert client.get(url).status_code == 403, url
    for action in ("run", "enrol"):
        assert client.post(f"/committee/programmes/{programme.pk}/{action}/").status_code == 403
    assert not programme.groups.exists()


def test_a_visitor_is_sent_to_log_in(client, programme):
    for url in [*committee_urls(programme), "/small-groups/"]:
        assert client.get(url).status_code == 302, url


def test_the_committee_creates_a_programme_and_bad_tutor_lines_are_shown_by_the_field(client):
    client.force_login(CommitteeFactory())
    tutor = TutorFactory()
    student = UserFactory()
    data = {
        "title": "Year 3 groups",
        "year": year(3).pk,
        "group_size": "6",
        "minutes": "60",
        "first_day": "2026-10-12",
        "weeks": "8",
        "venue": "Room 2",
        "leaders": f"{tutor.email}, 2\n{student.email}\n{tutor.email}, x",
    }
    bad = client.post("/committee/programmes/new/", data)
    assert bad.status_code == 400
    errors = bad.context["form"].errors["leaders"][0]
    assert f"line 2: {student.email} is not a tutor" in errors
    assert "line 3: groups must be a number from 1 to 10" in errors
    assert 'aria-describedby="id_leaders-help id_leaders-error"' in bad.content.decode()
    assert not Programme.objects.exists()
    data["leaders"] = f"{tutor.email.upper()}, 2"
    made = client.post("/committee/programmes/new/", data)
    programme = Programme.objects.get()
    assert made["Location"] == f"/committee/programmes/{programme.pk}/"
    assert [(le.tutor, le.max_groups) for le in programme.leaders.all()] == [(tutor, 2)]


def test_review_run_lock_and_a_refused_move_shown_next_to_its_field(client, programme):
    client.force_login(CommitteeFactory())
    client.post(f"/committee/programmes/{programme.pk}/run/")
    page = client.get(f"/committee/programmes/{programme.pk}/").content.decode()
    assert "2 placed in 2 groups" in page
    assert f"/committee/mailings/new/{ACTION}/{programme.pk}/" in page
    monday = programme.groups.get(start=36)
    tuesday = programme.groups.get(start=84)
    monday_student = monday.members.get().student
    refused = client.post(
        f"/committee/programmes/{programme.pk}/",
        {"student": monday_student.pk, "group": tuesday.pk},
    )
    assert refused.status_code == 400
    assert "is not free on Tue at 18:00" in refused.context["move_form"].errors["group"][0]
    assert monday.members.get().student == monday_student
    client.post(f"/committee/programmes/{programme.pk}/groups/{monday.pk}/lock/", {"locked": "1"})
    assert programme.groups.get(pk=monday.pk).locked
    junk = client.post(
        f"/committee/programmes/{programme.pk}/", {"student": "x", "group": "9" * 30}
    )
    assert junk.status_code == 400


def test_a_student_signs_up_and_asks_to_move_once_published(client, programme):
    student = member(cells=MON_18)
    client.force_login(student)
    page = client.get("/small-groups/").content.decode()
    assert "Year 3 small groups" in page and "Sign up" in page
    assert "/small-groups/" in client.get("/").content.decode()  # the home section links here
    client.post(f"/small-groups/{programme.pk}/sign-up/")
    assert Enrolment.objects.filter(programme=programme, student=student).exists()
    proposal.run(programme)
    confirm_action(CommitteeFactory(), ACTION, programme.pk)
    page = client.get("/small-groups/").content.decode()
    assert "Every Mon at 18:00" in page and "Ask to move" in page
    client.post(f"/small-groups/{programme.pk}/ask-to-move/", {"reason": "Placement on Mondays"})
    assert MoveRequest.objects.get().member == student
    committee = CommitteeFactory()
    client.force_login(committee)
    assert "1 requests to move a small group" in client.get("/committee/").content.decode()
    review = client.get(f"/committee/programmes/{programme.pk}/").content.decode()
    assert "Placement on Mondays" in review


def test_the_committee_home_links_to_programmes(client):
    client.force_login(CommitteeFactory())
    assert 'href="/committee/programmes/"' in client.get("/committee/").content.decode()


def test_the_list_and_review_take_the_same_queries_for_1_and_20_rows(client):
    client.force_login(CommitteeFactory())

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    one, _, _ = programme_with(first_day=TERM, leaders=[(MON_18, 1)], students=[MON_18])
    proposal.run(one)
    small = (queries("/committee/programmes/"), queries(f"/committee/programmes/{one.pk}/"))
    many, _, _ = programme_with(
        title="Big", first_day=TERM, size=20, leaders=[(MON_18, 1)], students=[MON_18] * 20
    )
    for n in range(18):
        programme_with(title=f"Other {n}", first_day=TERM, leaders=[(MON_18, 1)])
    proposal.run(many)
    assert (
        queries("/committee/programmes/"),
        queries(f"/committee/programmes/{many.pk}/"),
    ) == small
