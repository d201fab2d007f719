"""Committee CSV import of rankings: all rows apply or none, every bad row with its line."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories.allocation import OfferingFactory, accepted_tutor, rank, ranking_round
from tests.factories.core import CommitteeFactory, TutorFactory
from tutors.allocation.csv import AllocationInputError
from tutors.allocation.services.ranking import import_rankings_csv
from tutors.models import Ranking

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    rnd = ranking_round()
    a = OfferingFactory(round=rnd, topic__code="A-1")
    b = OfferingFactory(round=rnd, topic__code="B-1", min_tutor_year=6)
    t1 = accepted_tutor(rnd, email="one@x.test")
    t2 = accepted_tutor(rnd, email="two@x.test", year_of_study="6")
    return rnd, a, b, t1, t2


def test_import_replaces_the_rankings_of_the_tutors_in_the_file(world):
    rnd, a, b, _t1, t2 = world
    rank(rnd, t2, [a])
    text = "tutor_email,rank,topic_code\nTWO@x.test,1,B-1\ntwo@x.test,2,A-1\none@x.test,1,A-1\n"
    result = import_rankings_csv(rnd, text)
    assert (result.tutors, result.rows) == (2, 3)
    got = list(Ranking.objects.filter(tutor=t2).order_by("rank").values_list("offering", flat=True))
    assert got == [b.pk, a.pk]


def test_every_bad_row_is_reported_and_nothing_changes(world):
    rnd, a, _b, t1, _t2 = world
    rank(rnd, t1, [a])
    TutorFactory(email="stranger@x.test")
    text = (
        "tutor_email,rank,topic_code\n"
        "two@x.test,1,A-1\n"
        "one@x.test,x,A-1\n"
        "one@x.test,1,NOPE\n"
        "stranger@x.test,1,A-1\n"
        "one@x.test,2,B-1\n"
    )
    with pytest.raises(AllocationInputError) as err:
        import_rankings_csv(rnd, text)
    lines = {(p.line, p.message) for p in err.value.errors}
    assert (3, "rank 'x' is not a whole number") in lines
    assert (4, "unknown topic_code 'NOPE'") in lines
    assert (5, "stranger@x.test is not an accepted tutor of this round") in lines
    assert (
        6,
        "one@x.test may not rank B-1: Only tutors in year 6 or later may teach this topic.",
    ) in lines
    assert Ranking.objects.filter(round=rnd).count() == 1


def test_import_page_lists_the_errors(client, world):
    rnd, *_ = world
    client.force_login(CommitteeFactory())
    url = reverse("tutors_round_rankings", args=[rnd.pk])
    bad = SimpleUploadedFile("r.csv", b"tutor_email,rank,topic_code\none@x.test,0,A-1\n")
    r = client.post(url, {"file": bad})
    assert "r.csv:2: rank must be at least 1, got 0" in r.text
    assert "Nothing was imported" in r.text
    good = SimpleUploadedFile("r.csv", b"tutor_email,rank,topic_code\none@x.test,1,A-1\n")
    assert client.post(url, {"file": good}).status_code == 302
    export = client.get(reverse("tutors_rankings_export", args=[rnd.pk]))
    assert export.content.decode() == "tutor_email,rank,topic_code\none@x.test,1,A-1\n"


def test_non_utf8_file_is_refused_with_a_clear_message(client, world):
    rnd, *_ = world
    client.force_login(CommitteeFactory())
    upload = SimpleUploadedFile("r.csv", "tutor_email\n\xe9".encode("latin-1"))
    r = client.post(reverse("tutors_round_rankings", args=[rnd.pk]), {"file": upload})
    assert "not UTF-8 text" in r.text
