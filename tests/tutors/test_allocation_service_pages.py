"""Committee allocation page: run, override, publish, export; the tutor sees the result."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.allocation import OfferingFactory, accepted_tutor, rank, ranking_round
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tests.support.html import elements, text
from tests.support.mailings import confirm_on_the_page
from tutors.allocation.services.runs import run_allocation
from tutors.models import AllocationOverride, AllocationRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    rnd = ranking_round()
    a = OfferingFactory(round=rnd, topic__code="A-1")
    b = OfferingFactory(round=rnd, topic__code="B-1")
    t1 = accepted_tutor(rnd, email="t1@x.test", full_name="Tess One")
    t2 = accepted_tutor(rnd, email="t2@x.test", full_name="Tom Two")
    rank(rnd, t1, [a, b])
    rank(rnd, t2, [a, b])
    return rnd, a, b, t1, t2


def _rows(html) -> list[list[tuple[str, str]]]:
    """Each table row as its cells' (tag, text), in document order."""
    rows: list[list[tuple[str, str]]] = []
    for element in elements(html):
        if element.tag == "tr":
            rows.append([])
        elif element.tag in ("th", "td") and rows:
            rows[-1].append((element.tag, element.text))
    return rows


def url(name, rnd, *args):
    return reverse(name, args=[rnd.pk, *args])


def test_run_lock_rerun_publish_and_the_tutor_sees_it(client, world):
    rnd, a, _b, t1, t2 = world
    client.force_login(CommitteeFactory())
    r = client.post(url("tutors_allocation_run", rnd), {"objective": "generous"})
    run = AllocationRun.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"?run={run.pk}#results")
    page = text(client.get(r["Location"]).content)
    assert "Generous" in page and "Compared with first come, first served" in page
    assert "Make the worst choice" in page or "worst choice anyone gets" in page
    client.post(
        url("tutors_allocation_override", rnd),
        {"tutor": t2.pk, "offering": a.pk, "kind": "lock", "run": run.pk},
    )
    assert AllocationOverride.objects.get().kind == "lock"
    client.post(url("tutors_allocation_run", rnd), {"objective": "greedy"})
    rerun = AllocationRun.objects.first()
    assert rerun.pairs.get(tutor=t2).offering == a
    r = client.post(url("tutors_allocation_publish", rnd, rerun.pk), {"close_ranking": "yes"})
    assert not AllocationRun.objects.filter(is_published=True).exists()  # a preview first
    confirm_on_the_page(client, r)
    assert AllocationRun.objects.get(is_published=True) == rerun
    client.force_login(t1)
    mine = text(client.get("/tutors/rankings/").content)
    assert "Your topics" in mine and "B-1" in mine and "your choice 2" in mine
    assert "assigned in advance by the committee" in mine
    csv = client.get(url("tutors_allocation_export", rnd, rerun.pk))
    assert csv.status_code == 403  # tutors cannot export


def test_export_csv(client, world):
    rnd, *_ = world
    client.force_login(CommitteeFactory())
    client.post(url("tutors_allocation_run", rnd), {"objective": "minsum"})
    run = AllocationRun.objects.get()
    r = client.get(url("tutors_allocation_export", rnd, run.pk))
    assert r.content.decode().splitlines()[0] == "tutor_email,topic_code,rank"
    assert 'filename="allocation-run-' in r["Content-Disposition"]


def test_bad_objective_and_unknown_override_change_nothing(client, world):
    rnd, a, *_ = world
    client.force_login(CommitteeFactory())
    client.post(url("tutors_allocation_run", rnd), {"objective": "lottery"})
    assert not AllocationRun.objects.exists()
    client.post(url("tutors_allocation_override", rnd), {"tutor": 1, "offering": a.pk, "kind": "x"})
    assert not AllocationOverride.objects.exists()


@pytest.mark.parametrize(
    "who, status", [("anonymous", 302), ("student", 403), ("tutor", 403), ("committee", 200)]
)
def test_allocation_page_permissions(client, world, who, status):
    rnd, *_ = world
    user = {"student": UserFactory, "tutor": TutorFactory, "committee": CommitteeFactory}.get(who)
    if user:
        client.force_login(user())
    assert client.get(url("tutors_allocation", rnd)).status_code == status
    posted = client.post(url("tutors_allocation_run", rnd), {"objective": "greedy"})
    assert posted.status_code == (302 if who == "committee" else status)
    assert AllocationRun.objects.exists() == (who == "committee")


def test_two_runs_are_compared_side_by_side_with_the_tutors_who_moved(client, world):
    rnd, a, _b, t1, t2 = world
    boss = CommitteeFactory()
    first = run_allocation(rnd, boss)
    holder = first.pairs.get(offering=a).tutor
    AllocationOverride.objects.create(round=rnd, tutor=holder, offering=a, kind="forbid")
    second = run_allocation(rnd, boss)
    client.force_login(boss)
    page = client.get(url("tutors_allocation", rnd) + f"?run={second.pk}&against={first.pk}")
    assert f"Run {second.pk} against run {first.pk}" in text(page.content)
    assert [("th", "Pairs not in the other run"), ("td", "2"), ("td", "2")] in _rows(page.content)
    row_headers = [th.text for th in elements(page.content, "th", scope="row", class_="fw-normal")]
    for tutor in (t1, t2):  # both swapped topics
        assert tutor.email in row_headers
    same = client.get(url("tutors_allocation", rnd) + f"?run={second.pk}&against={second.pk}")
    assert "against run" not in text(same.content)  # a run is not compared with itself


ROLES = {"student": UserFactory, "tutor": TutorFactory, "committee": CommitteeFactory}


@pytest.mark.parametrize(
    "who, status", [("anonymous", 302), ("student", 403), ("tutor", 403), ("committee", 200)]
)
def test_override_publish_and_export_permissions(client, world, who, status):
    """Only the committee may lock, publish or download; others change nothing."""
    rnd, a, _b, _t1, t2 = world
    run = run_allocation(rnd, CommitteeFactory(), seed=1)
    if who in ROLES:
        client.force_login(ROLES[who]())
    locked = client.post(
        url("tutors_allocation_override", rnd), {"tutor": t2.pk, "offering": a.pk, "kind": "lock"}
    )
    assert locked.status_code == (302 if who == "committee" else status)
    assert AllocationOverride.objects.exists() == (who == "committee")
    exported = client.get(url("tutors_allocation_export", rnd, run.pk))
    assert exported.status_code == status
    run = run_allocation(rnd, CommitteeFactory(), seed=1)  # after the lock: a current run
    published = client.post(url("tutors_allocation_publish", rnd, run.pk), {"close_ranking": "yes"})
    assert published.status_code == (302 if who == "committee" else status)
    if who == "committee":
        confirm_on_the_page(client, published)
    run.refresh_from_db()
    assert run.is_published == (who == "committee")


def _queries(client, address) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(address).status_code == 200
    return len(ctx)


def test_allocation_page_query_count_does_not_grow_with_tutors(client):
    rnd = ranking_round()
    boss = CommitteeFactory()
    client.force_login(boss)
    o = OfferingFactory(round=rnd)
    rank(rnd, accepted_tutor(rnd), [o])
    client.post(url("tutors_allocation_run", rnd), {"objective": "greedy"})
    AllocationOverride.objects.create(
        round=rnd, tutor=rnd.applications.first().applicant, offering=o, kind="forbid"
    )
    one = _queries(client, url("tutors_allocation", rnd))
    for _ in range(19):
        o = OfferingFactory(round=rnd)
        t = accepted_tutor(rnd)
        rank(rnd, t, [o])
        AllocationOverride.objects.create(round=rnd, tutor=t, offering=o, kind="forbid")
    AllocationRun.objects.all().delete()
    client.post(url("tutors_allocation_run", rnd), {"objective": "greedy"})
    assert _queries(client, url("tutors_allocation", rnd)) == one


def test_allocation_page_reads_the_round_and_its_runs_once_each(client, world):
    """The published run is found among the round's runs, and the chosen run knows its round:
    the page (computed afresh) reads the round for its title and its body, the runs once."""
    from django.core.cache import cache

    rnd = world[0]
    client.force_login(CommitteeFactory())
    client.post(url("tutors_allocation_run", rnd), {"objective": "greedy"})
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url("tutors_allocation", rnd)).status_code == 200
    reads = [q["sql"] for q in ctx.captured_queries]
    assert sum(s.startswith('SELECT "tutors_recruitmentround"') for s in reads) == 2
    assert sum(s.startswith('SELECT "tutors_allocationrun"') for s in reads) == 1
