"""The committee home's recruitment tasks are counted for every active round at once: each round
still gets its own figures, and more rounds cost no more queries."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tests.factories.core import CommitteeFactory
from tests.factories.tutors import ApplicationFactory, RecruitmentRoundFactory
from tutors.committee import tasks
from tutors.models import AllocationRun, RecruitmentRound

pytestmark = pytest.mark.django_db
ALLOCATION = RecruitmentRound.State.ALLOCATION


def _tasks(member) -> tuple[int, dict[tuple[str, str], int]]:
    request = RequestFactory().get("/committee/")
    request.user = member
    with CaptureQueriesContext(connection) as ctx:
        found = tasks(request=request)
    return len(ctx.captured_queries), {(t.area, t.label): t.count for t in found}


def _round(name: str, decided: int, published: bool) -> RecruitmentRound:
    round = RecruitmentRoundFactory(name=name, state=ALLOCATION)
    for _ in range(decided):
        ApplicationFactory(round=round, status="submitted", decision="accept")
    empty = {"inputs": {}, "result": {}, "statistics": {}, "seed": 1}
    AllocationRun.objects.create(round=round, objective="max", is_published=published, **empty)
    return round


def test_each_round_gets_its_own_counts_and_more_rounds_cost_no_more_queries():
    member = CommitteeFactory()
    _tasks(member)  # the member's roles are read once, then remembered on them
    _round("Autumn", decided=2, published=False)
    small, counts = _tasks(member)
    assert counts[("Recruitment: Autumn", "decisions recorded but not released")] == 2
    assert counts[("Recruitment: Autumn", "allocation not yet published")] == 1
    _round("Spring", decided=1, published=True)
    _round("Summer", decided=0, published=False)
    large, counts = _tasks(member)
    assert counts[("Recruitment: Autumn", "decisions recorded but not released")] == 2
    assert counts[("Recruitment: Spring", "decisions recorded but not released")] == 1
    assert counts[("Recruitment: Summer", "decisions recorded but not released")] == 0
    assert ("Recruitment: Spring", "allocation not yet published") not in counts
    assert counts[("Recruitment: Summer", "allocation not yet published")] == 1
    assert large == small
