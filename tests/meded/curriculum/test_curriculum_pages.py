"""The committee's curriculum page: browse, import a CSV in the browser (all or nothing), export."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meded.curriculum.services import import_curriculum
from meded.models import Topic
from tests.factories import CommitteeFactory, TopicFactory, TutorFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD = (
    b"code,title,module,years\n"
    b"CARD-01,ECG interpretation,Cardiology,3;4\n"
    b"RESP-01,Asthma,Respiratory,3\n"
)


def _upload(content: bytes, name: str = "curriculum.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.mark.parametrize(
    ("factory", "status"),
    [(None, 302), (UserFactory, 403), (TutorFactory, 403), (CommitteeFactory, 200)],
)
@pytest.mark.parametrize("url_name", ["committee_curriculum", "committee_curriculum_export"])
def test_curriculum_pages_are_for_the_committee_only(client, factory, status, url_name):
    if factory:
        client.force_login(factory())
    response = client.get(reverse(url_name))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/accounts/login/")


def test_a_student_cannot_import_a_curriculum(client):
    client.force_login(UserFactory())
    response = client.post(reverse("committee_curriculum"), {"csv_file": _upload(GOOD)})
    assert response.status_code == 403
    assert not Topic.objects.exists()


def test_a_good_file_is_imported_and_the_counts_are_shown(client):
    client.force_login(CommitteeFactory())
    preview = client.post(reverse("committee_curriculum"), {"csv_file": _upload(GOOD)})
    assert "Check the import before it is applied" in preview.content.decode()
    assert not Topic.objects.exists()  # nothing before the committee confirms
    response = client.post(
        reverse("committee_curriculum"),
        {"action": "apply", "digest": preview.context["digest"]},
        follow=True,
    )
    assert "2 topic(s) created, 0 updated, 2 new module(s)" in response.content.decode()
    assert sorted(Topic.objects.values_list("code", flat=True)) == ["CARD-01", "RESP-01"]


def test_every_bad_row_is_listed_by_line_next_to_the_field_and_nothing_is_imported(client):
    client.force_login(CommitteeFactory())
    bad = (
        b"code,title,module,years\n"
        b"CARD-01,ECG,Cardiology,3\n"
        b",No code,Cardiology,9\n"
        b"CARD-01,Dup,Cardiology,2\n"
    )
    response = client.post(reverse("committee_curriculum"), {"csv_file": _upload(bad)})
    html = response.content.decode()
    assert response.status_code == 400
    assert "nothing was imported" in html
    assert "Line 3: code is empty" in html
    assert "Line 3: year &#x27;9&#x27; is not a whole number from 1 to 6" in html
    assert "Line 4: code CARD-01 already appears on line 2" in html
    assert 'aria-invalid="true"' in html
    assert not Topic.objects.exists()


def test_a_file_that_is_not_utf8_text_is_refused_with_advice(client):
    client.force_login(CommitteeFactory())
    response = client.post(
        reverse("committee_curriculum"), {"csv_file": _upload(b"\xff\xfe\x00code")}
    )
    assert response.status_code == 400
    assert "CSV UTF-8" in response.content.decode()
    assert not Topic.objects.exists()


def test_export_round_trips_through_import_unchanged(client):
    import_curriculum(
        "code,title,module,years,description\n"
        'CARD-01,"ECG, the basics",Cardiology,4;3,Leads and axes\n'
    )
    client.force_login(CommitteeFactory())
    response = client.get(reverse("committee_curriculum_export"))
    text = response.content.decode()
    assert response["Content-Disposition"] == 'attachment; filename="curriculum.csv"'
    assert text.splitlines() == [
        "code,title,module,years,description",
        'CARD-01,"ECG, the basics",Cardiology,3;4,Leads and axes',
    ]
    result = import_curriculum(text)
    assert (result.created, result.updated) == (0, 1)
    assert Topic.objects.get(code="CARD-01").title == "ECG, the basics"


def test_filters_narrow_the_list(client):
    TopicFactory(code="KEEP-1", title="Heart failure", years=[3])
    TopicFactory(code="DROP-1", title="Asthma", years=[1])
    client.force_login(CommitteeFactory())
    html = client.get(reverse("committee_curriculum"), {"year": "3", "q": "heart"}).content.decode()
    assert "KEEP-1" in html and "DROP-1" not in html


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("committee_curriculum")).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_takes_the_same_number_of_queries_for_1_and_20_topics(client):
    client.force_login(CommitteeFactory())
    TopicFactory(years=[2])
    one = _count_queries(client)
    for _ in range(19):
        TopicFactory(years=[2, 3])
    assert _count_queries(client) == one


def test_a_misspelt_module_is_shown_as_new_and_like_an_existing_one_before_anything_changes(
    client,
):
    from meded.models import Module

    client.force_login(CommitteeFactory())
    digest = client.post(reverse("committee_curriculum"), {"csv_file": _upload(GOOD)}).context[
        "digest"
    ]
    client.post(reverse("committee_curriculum"), {"action": "apply", "digest": digest})
    modules = Module.objects.count()
    typo = (
        b"code,title,module,years\n"
        b"CARD-02,Heart failure,Cardiolgy,3\n"
        b"CARD-01,ECG basics,Cardiology,3;4\n"
    )
    preview = client.post(reverse("committee_curriculum"), {"csv_file": _upload(typo)})
    body = preview.content.decode()
    assert "Cardiolgy" in body and "looks like the existing" in body and "is it a typo?" in body
    assert "CARD-02" in body and "ECG basics" in body  # one new topic, one changed title
    assert Module.objects.count() == modules and not Topic.objects.filter(code="CARD-02").exists()
    client.post(reverse("committee_curriculum"), {"action": "cancel"})
    stale = client.post(
        reverse("committee_curriculum"),
        {"action": "apply", "digest": preview.context["digest"]},
        follow=True,
    )
    assert "preview has expired" in stale.content.decode()
    assert Module.objects.count() == modules
