"""Writing OSCE stations in the browser: the committee and question reviewers (never other
tutors or students) write a scenario, a checklist of marked items (added, removed and reordered
by typed positions) and a global rating scale; once marked, a station's marking is fixed; a
session's marks download as CSV through the one exporter."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from sessions_app.questions import bank, osce
from sessions_app.questions.errors import QuestionError
from sessions_app.questions.models import OsceItem, OsceStation
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

pytestmark = pytest.mark.django_db
NEW = reverse("sessions_app:osce_station_new")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post_data(session, rows, *, initial=0, scale="Fail\nPass\nGood", **extra) -> dict:
    """The form as a browser posts it: rows are (item_id, text, marks, position, remove)."""
    data = {
        "title": "Abdominal examination",
        "scenario": "A 45-year-old with right upper quadrant pain. Examine the abdomen.",
        "session": session.pk,
        "rating_scale": scale,
        "items-TOTAL_FORMS": len(rows),
        "items-INITIAL_FORMS": initial,
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 40,
    }
    for n, (item_id, text, marks, position, remove) in enumerate(rows):
        data.update(
            {
                f"items-{n}-item_id": item_id or "",
                f"items-{n}-text": text,
                f"items-{n}-marks": marks,
                f"items-{n}-ORDER": position,
            }
        )
        if remove:
            data[f"items-{n}-DELETE"] = "on"
    return {**data, **extra}


@pytest.fixture
def session():
    return TeachingSessionFactory(kind="clinical_skills")


def reviewer_tutor():
    tutor = TutorFactory()
    bank.set_reviewer(CommitteeFactory(), tutor, True)
    return type(tutor).objects.get(pk=tutor.pk)


@pytest.mark.parametrize(
    "role, status",
    [("student", 403), ("tutor", 403), ("reviewer", 200), ("committee", 200)],
)
def test_who_may_open_the_station_pages(role, status, session):
    user = {
        "student": UserFactory,
        "tutor": TutorFactory,
        "reviewer": reviewer_tutor,
        "committee": CommitteeFactory,
    }[role]()
    client = _client(user)
    assert client.get(NEW).status_code == status
    assert client.get(reverse("sessions_app:osce_station_list")).status_code == status
    client.post(NEW, _post_data(session, [(None, "Washes hands", 1, 1, False)]))
    assert OsceStation.objects.exists() == (status == 200)


def test_a_question_reviewer_writes_a_station_with_marks_and_a_rating_scale(session):
    client = _client(reviewer_tutor())
    rows = [
        (None, "Introduces self and gains consent", 1, 2, False),
        (None, "Palpates all nine regions", 3, 1, False),
        (None, "", 1, "", False),  # a blank new row is left out
    ]
    response = client.post(NEW, _post_data(session, rows))
    station = OsceStation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sessions_app:osce_station_edit", args=[station.pk])
    assert [(i.text, i.marks, i.position) for i in station.items.all()] == [
        ("Palpates all nine regions", 3, 1),
        ("Introduces self and gains consent", 1, 2),
    ]
    assert station.rating_scale == ["Fail", "Pass", "Good"]
    assert osce.station_marks(station) == 4


def test_items_are_edited_removed_added_and_reordered_by_position(session):
    chair = CommitteeFactory()
    station = osce.create_station(
        chair, title="t", scenario="s", session=session, checklist=["One", "Two", "Three"]
    )
    one, two, three = station.items.all()
    rows = [
        (one.pk, "One, reworded", 2, 3, False),
        (two.pk, "Two", 1, 2, True),  # removed
        (three.pk, "Three", 1, 1, False),
        (None, "Four, new", 5, 2, False),
    ]
    response = _client(chair).post(
        reverse("sessions_app:osce_station_edit", args=[station.pk]),
        _post_data(session, rows, initial=3),
    )
    assert response.status_code == 302
    assert [(i.text, i.marks) for i in station.items.all()] == [
        ("Three", 1),
        ("Four, new", 5),
        ("One, reworded", 2),
    ]
    assert not OsceItem.objects.filter(pk=two.pk).exists()


def test_add_rows_gives_blank_rows_and_saves_nothing(session):
    client = _client(CommitteeFactory())
    data = _post_data(session, [(None, "Washes hands", 1, 1, False)], more="1")
    response = client.post(NEW, data)
    assert response.status_code == 200
    checklist = response.context["checklist"]
    assert len(checklist.forms) == 4
    assert not OsceStation.objects.exists()
    # the new blank rows are left out when the page is saved
    data = {k: v for k, v in data.items() if k != "more"}
    data["items-TOTAL_FORMS"] = 4
    for n in range(1, 4):
        data.update({f"items-{n}-text": "", f"items-{n}-marks": "1", f"items-{n}-ORDER": ""})
    assert client.post(NEW, data).status_code == 302
    assert [i.text for i in OsceStation.objects.get().items.all()] == ["Washes hands"]


@pytest.mark.parametrize(
    "rows, scale, field, message",
    [
        ([(None, "Washes hands", 11, 1, False)], "Fail\nPass", "marks", "less than or equal"),
        ([(None, "Washes hands", 0, 1, False)], "Fail\nPass", "marks", "greater than or equal"),
        ([(None, "", 1, "", False)], "Fail\nPass", None, "1 to 40 checklist items"),
        ([(None, "Washes hands", 1, 1, False)], "Only one", "scale", "2 to 9 points"),
        ([(None, "Washes hands", 1, 1, False)], "Pass\nPass", "scale", "its own short label"),
        ([(None, "Washes hands", "two", 1, False)], "Fail\nPass", "marks", "whole number"),
    ],
)
def test_bad_input_is_explained_on_the_page_and_changes_nothing(
    session, rows, scale, field, message
):
    response = _client(CommitteeFactory()).post(NEW, _post_data(session, rows, scale=scale))
    assert response.status_code == 200
    if field == "scale":
        errors = response.context["form"].errors["rating_scale"]
    elif field:
        errors = response.context["checklist"].forms[0].errors[field]
    else:
        errors = response.context["form"].non_field_errors()
    assert any(message in e for e in errors), errors
    assert message in response.content.decode()
    assert not OsceStation.objects.exists()


def test_an_item_of_another_station_cannot_be_smuggled_in(session):
    chair = CommitteeFactory()
    mine = osce.create_station(chair, title="a", scenario="s", session=session, checklist=["A"])
    other = osce.create_station(chair, title="b", scenario="s", session=session, checklist=["B"])
    theirs = other.items.get()
    response = _client(chair).post(
        reverse("sessions_app:osce_station_edit", args=[mine.pk]),
        _post_data(session, [(theirs.pk, "Hijacked", 1, 1, False)], initial=1),
    )
    assert "not on this station" in response.content.decode()
    assert other.items.get().text == "B" and mine.items.get().text == "A"


@pytest.fixture
def marked():
    examiner, candidate = TutorFactory(), UserFactory(full_name="Ada Lovelace")
    chair = CommitteeFactory()
    session = TeachingSessionFactory(kind="clinical_skills", tutors=[examiner])
    BookingFactory(session=session, student=candidate)
    station = osce.save_station(
        chair,
        title="Cardiovascular examination",
        scenario="Examine the cardiovascular system.",
        session=session,
        items=[
            osce.ChecklistItem("Gains consent", 1),
            osce.ChecklistItem("Auscultates four areas", 4),
            osce.ChecklistItem("=HYPERLINK(1)", 2),
        ],
        rating_scale=["Fail", "Borderline", "Pass"],
    )
    first, second, _third = station.items.all()
    osce.mark(examiner, station, candidate, [first.pk, second.pk], 3, "Well structured.")
    return station, examiner, candidate, chair


def test_once_marked_the_marking_is_fixed_but_the_wording_may_be_corrected(marked):
    station, _, _, chair = marked
    items = [osce.ChecklistItem(i.text, i.marks, i.pk) for i in station.items.all()]
    with pytest.raises(QuestionError, match="fixed now"):
        osce.save_station(
            chair,
            station,
            title=station.title,
            scenario=station.scenario,
            session=station.session,
            items=[*items, osce.ChecklistItem("New item")],
            rating_scale=station.rating_scale,
        )
    with pytest.raises(QuestionError, match="fixed now"):
        osce.save_station(
            chair,
            station,
            title=station.title,
            scenario=station.scenario,
            session=station.session,
            items=items,
            rating_scale=["Fail", "Pass"],
        )
    reworded = [osce.ChecklistItem("Gains informed consent", 1, items[0].item_id), *items[1:]]
    osce.save_station(
        chair,
        station,
        title="Cardiovascular exam",
        scenario=station.scenario,
        session=station.session,
        items=reworded,
        rating_scale=station.rating_scale,
    )
    assert station.items.first().text == "Gains informed consent"
    assert station.sheets.get().ticked.count() == 2


def test_a_rating_outside_the_stations_scale_is_refused(marked):
    station, examiner, candidate, _ = marked
    with pytest.raises(QuestionError, match="from 1 to 3"):
        osce.mark(examiner, station, candidate, [], 4)


def test_the_sessions_marks_download_as_csv_for_the_committee_only(marked):
    station, examiner, _, chair = marked
    url = reverse("sessions_app:osce_marks_csv", args=[station.session_id])
    for user in (examiner, UserFactory()):
        assert _client(user).get(url).status_code == 403
    response = _client(chair).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["station"] == "Cardiovascular examination"
    assert row["candidate"] == "Ada Lovelace"
    assert (row["marks"], row["out_of"]) == ("5", "7")
    assert row["items_done"] == "Gains consent; Auscultates four areas"
    assert row["items_not_done"] == "'=HYPERLINK(1)"  # the exporter defuses formulas
    assert (row["global_rating"], row["rating_label"]) == ("3", "Pass")
    assert row["comments"] == "Well structured."
    assert row["examiner"] == examiner.get_full_name()


def test_the_station_list_links_to_editing_marks_and_release(marked):
    station, *_ = marked
    page = _client(CommitteeFactory()).get(reverse("sessions_app:osce_stations")).content
    page = page.decode()
    assert reverse("sessions_app:osce_station_edit", args=[station.pk]) in page
    assert reverse("sessions_app:osce_marks_csv", args=[station.session_id]) in page
    assert (
        reverse("committee_mailing_new", args=["questions.release_osce_sheets", station.pk]) in page
    )


def test_the_station_list_costs_the_same_queries_for_1_or_20_stations(session):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    chair = CommitteeFactory()
    client = _client(chair)
    url = reverse("sessions_app:osce_stations")

    def count() -> int:
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    osce.create_station(chair, title="S0", scenario="s", session=session, checklist=["a"])
    one = count()
    for n in range(1, 20):
        other = TeachingSessionFactory(kind="clinical_skills")
        osce.create_station(chair, title=f"S{n}", scenario="s", session=other, checklist=["a"])
    assert count() == one
