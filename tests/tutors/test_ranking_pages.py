"""The tutor ranking page works with plain form posts, and the committee's ranking pages."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.allocation import OfferingFactory, accepted_tutor, rank, ranking_round
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tutors.allocation.services.ranking import save_ranking
from tutors.models import Ranking

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
URL = "/tutors/rankings/"


@pytest.fixture
def setup(client):
    rnd = ranking_round(min_rank=2, max_rank=3)
    offs = [OfferingFactory(round=rnd, topic__code=f"T-{i}") for i in range(4)]
    tutor = accepted_tutor(rnd)
    client.force_login(tutor)
    return rnd, offs, tutor


def post(client, items, action, **extra):
    return client.post(URL, {"item": [o.pk for o in items], "action": action, **extra})


def saved(rnd, tutor):
    return list(
        Ranking.objects.filter(round=rnd, tutor=tutor)
        .order_by("rank")
        .values_list("offering__topic__code", flat=True)
    )


def test_add_reorder_remove_then_save_without_javascript(client, setup):
    rnd, offs, tutor = setup
    r = post(client, [], f"add:{offs[2].pk}")
    assert r.status_code == 200 and "unsaved changes" in r.text
    assert r.context["draft"] == [offs[2]]
    r = post(client, [offs[2]], f"add:{offs[0].pk}")
    r = post(client, r.context["draft"], f"up:{offs[0].pk}")
    assert r.context["draft"] == [offs[0], offs[2]]
    assert r.context["focus"] == {"down": offs[0].pk}  # focus stays on the moved topic
    r = post(client, r.context["draft"] + [offs[1]], f"remove:{offs[1].pk}")
    assert r.context["draft"] == [offs[0], offs[2]]
    assert saved(rnd, tutor) == []  # nothing saved until Save
    r = post(client, r.context["draft"], "save")
    assert r.status_code == 302
    assert saved(rnd, tutor) == ["T-0", "T-2"]


def test_save_errors_are_shown_and_the_draft_kept(client, setup):
    rnd, offs, tutor = setup
    r = post(client, [offs[0]], "save")
    assert "Rank at least 2 topics (you have 1)." in r.text
    assert r.context["draft"] == [offs[0]]
    r = post(client, [offs[0], offs[0]], "save")
    assert "T-0 is in your list twice" in r.text
    assert saved(rnd, tutor) == []


def test_ineligible_offering_shows_the_reason_instead_of_add(client, setup):
    _rnd, offs, _tutor = setup
    offs[3].min_tutor_year = 6
    offs[3].save()
    r = client.get(URL)
    assert "Only tutors in year 6 or later may teach this topic." in r.text
    assert f'value="add:{offs[3].pk}"' not in r.text
    assert f'value="add:{offs[2].pk}"' in r.text


def test_search_and_filters_keep_the_draft(client, setup):
    _rnd, offs, _tutor = setup
    r = post(client, [offs[1]], "filter", q="T-3")
    assert [a["offering"] for a in r.context["available"]] == [offs[3]]
    assert r.context["draft"] == [offs[1]]


def test_after_the_window_closes_the_ranking_is_read_only(client, setup):
    rnd, offs, tutor = setup
    rank(rnd, tutor, offs[:2])
    with time_machine.travel(rnd.ranking_closes, tick=False):
        r = client.get(URL)
        assert "read-only" in r.text
        assert 'name="action"' not in r.text
        r = post(client, [offs[3], offs[2]], "save")
        assert "The ranking window is closed; your ranking was not changed." in r.text
    assert saved(rnd, tutor) == ["T-0", "T-1"]


def test_no_round_gives_a_kind_empty_page(client):
    client.force_login(TutorFactory())
    assert "There is no topic ranking for you" in client.get(URL).text


@pytest.mark.parametrize(
    "who, status", [("anonymous", 302), ("student", 403), ("tutor", 200), ("committee", 200)]
)
def test_ranking_page_permissions(client, who, status):
    user = {"student": UserFactory, "tutor": TutorFactory, "committee": CommitteeFactory}.get(who)
    if user:
        client.force_login(user())
    assert client.get(URL).status_code == status


@pytest.mark.parametrize(
    "page", ["tutors_offerings", "tutors_round_rankings", "tutors_rankings_export"]
)
@pytest.mark.parametrize(
    "who, status", [("anonymous", 302), ("student", 403), ("tutor", 403), ("committee", 200)]
)
def test_committee_ranking_pages_permissions(client, page, who, status):
    rnd = ranking_round()
    user = {"student": UserFactory, "tutor": TutorFactory, "committee": CommitteeFactory}.get(who)
    if user:
        client.force_login(user())
    assert client.get(reverse(page, args=[rnd.pk])).status_code == status


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_tutor_page_query_count_does_not_grow_with_offerings(client):
    rnd = ranking_round()
    tutor = accepted_tutor(rnd)
    client.force_login(tutor)
    first = OfferingFactory(round=rnd)
    rank(rnd, tutor, [first])
    one = _queries(client, URL)
    more = [OfferingFactory(round=rnd) for _ in range(19)]
    Ranking.objects.filter(tutor=tutor).delete()
    rank(rnd, tutor, [first, *more[:9]])
    assert _queries(client, URL) == one


def test_committee_pages_query_count_does_not_grow(client):
    rnd = ranking_round()
    client.force_login(CommitteeFactory())
    o = OfferingFactory(round=rnd)
    rank(rnd, accepted_tutor(rnd), [o])
    urls = [reverse(p, args=[rnd.pk]) for p in ("tutors_offerings", "tutors_round_rankings")]
    before = [_queries(client, u) for u in urls]
    for _ in range(19):
        o = OfferingFactory(round=rnd)
        rank(rnd, accepted_tutor(rnd), [o])
    assert [_queries(client, u) for u in urls] == before


def test_committee_sees_who_submitted_and_demand(client):
    rnd = ranking_round()
    a, b = OfferingFactory(round=rnd, topic__code="HOT-1"), OfferingFactory(round=rnd)
    keen, idle = (
        accepted_tutor(rnd, full_name="Keen Kim"),
        accepted_tutor(rnd, full_name="Idle Ida"),
    )
    other = accepted_tutor(rnd)
    rank(rnd, keen, [a, b])
    rank(rnd, other, [a])
    client.force_login(CommitteeFactory())
    r = client.get(reverse("tutors_round_rankings", args=[rnd.pk]))
    assert r.context["submitted"] == 2
    row = next(s for s in r.context["submissions"] if s.tutor == idle)
    assert row.ranked == 0 and "Not submitted" in r.text
    top = r.context["demand"][0]
    assert top.offering == a and top.by_rank[:2] == [2, 0] and top.status == "Over-subscribed"


def test_bulk_create_offerings_from_a_module(client):
    from tests.factories.core import ModuleFactory, TopicFactory

    rnd = ranking_round()
    module = ModuleFactory(name="Cardiology")
    TopicFactory(module=module), TopicFactory(module=module), TopicFactory()
    client.force_login(CommitteeFactory())
    url = reverse("tutors_offerings", args=[rnd.pk])
    data = {"module": module.pk, "capacity": 2, "format": "tutorial", "min_tutor_year": "5"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # twice: nothing duplicated
    assert rnd.offerings.count() == 2
    assert set(rnd.offerings.values_list("capacity", "min_tutor_year")) == {(2, 5)}
    r = client.post(url, {"capacity": 1, "format": "lecture"})
    assert "Choose a module, a year, or both." in r.text


def test_committee_edits_and_removes_an_offering(client):
    rnd = ranking_round()
    o = OfferingFactory(round=rnd)
    client.force_login(CommitteeFactory())
    edit = reverse("tutors_offering_edit", args=[rnd.pk, o.pk])
    client.post(edit, {"capacity": 3, "format": "tutorial", "min_tutor_year": "5"})
    o.refresh_from_db()
    assert (o.capacity, o.format, o.min_tutor_year) == (3, "tutorial", 5)
    r = client.post(edit, {"capacity": 0, "format": "tutorial"}, follow=True)
    assert "not changed" in r.text
    o.refresh_from_db()
    assert o.capacity == 3
    client.post(edit, {"delete": "1"})
    assert not rnd.offerings.exists()


def test_ranking_reminder_is_a_registered_due_job():
    from meded.periodic import periodic_jobs as due_jobs

    assert "ranking_deadline_reminder" in due_jobs()
    assert due_jobs()["ranking_deadline_reminder"]() == 0


# ----- a plain visit is remembered: fresh, personal, the same cost at any size ---------------


def _ranked(html: str, offering) -> bool:
    return f'ranking-item" data-offering="{offering.pk}"' in html


def test_a_saved_ranking_shows_on_the_next_visit(client, setup):
    rnd, offs, tutor = setup
    assert not _ranked(client.get(URL).text, offs[0])
    save_ranking(tutor, rnd, [offs[1].pk, offs[0].pk])
    html = client.get(URL).text
    assert _ranked(html, offs[0]) and _ranked(html, offs[1])
    assert html.index(offs[1].topic.code) < html.index(offs[0].topic.code)


def test_two_tutors_never_see_each_others_ranking(client, setup):
    rnd, offs, tutor = setup
    other = accepted_tutor(rnd)
    rank(rnd, tutor, offs[:2])
    assert _ranked(client.get(URL).text, offs[0])
    client.force_login(other)
    assert not _ranked(client.get(URL).text, offs[0])
    client.force_login(tutor)
    assert _ranked(client.get(URL).text, offs[0])


def test_a_second_visit_costs_the_same_queries_for_1_or_20_offerings(client):
    def second_visit(n: int) -> int:
        rnd = ranking_round(min_rank=1, max_rank=20)
        tutor = accepted_tutor(rnd)
        rank(rnd, tutor, [OfferingFactory(round=rnd) for _ in range(n)])
        client.force_login(tutor)
        client.get(URL)
        return _queries(client, URL)

    assert second_visit(1) == second_visit(20) <= 3
