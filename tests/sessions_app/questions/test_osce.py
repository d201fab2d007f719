"""Mock OSCE stations: the committee writes them, the session's tutors mark booked candidates
(a resend replaces, never duplicates), candidates see their sheet and comments once released."""

import pytest
from django.test import Client
from django.urls import reverse

from sessions_app.questions import osce
from sessions_app.questions.errors import QuestionError
from sessions_app.questions.models import OsceSheet
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def station_setup():
    examiner, candidate, chair = TutorFactory(), UserFactory(), CommitteeFactory()
    session = TeachingSessionFactory(kind="clinical_skills", tutors=[examiner])
    BookingFactory(session=session, student=candidate)
    station = osce.create_station(
        chair,
        title="Cardiovascular examination",
        scenario="A 64-year-old with breathlessness. Examine the cardiovascular system.",
        session=session,
        checklist=["Introduces self and gains consent", "Washes hands", "", "Palpates apex beat"],
    )
    return station, examiner, candidate, chair


def test_the_checklist_keeps_its_order_and_drops_blank_lines(station_setup):
    station, *_ = station_setup
    assert [i.text for i in station.items.all()] == [
        "Introduces self and gains consent",
        "Washes hands",
        "Palpates apex beat",
    ]


def test_only_the_committee_writes_stations_for_clinical_or_mock_sessions():
    with pytest.raises(QuestionError, match="Only the committee"):
        osce.create_station(
            TutorFactory(),
            title="t",
            scenario="s",
            session=TeachingSessionFactory(kind="clinical_skills"),
            checklist=["a"],
        )
    with pytest.raises(QuestionError, match="clinical-skills or mock-exam"):
        osce.create_station(
            CommitteeFactory(),
            title="t",
            scenario="s",
            session=TeachingSessionFactory(),
            checklist=["a"],
        )


def test_an_examiner_marks_and_a_resend_replaces_the_sheet(station_setup):
    station, examiner, candidate, _ = station_setup
    first, _second, third = station.items.all()
    osce.mark(examiner, station, candidate, [first.pk], 2, "Forgot hand hygiene.")
    osce.mark(examiner, station, candidate, [first.pk, third.pk], 3, "Good apex beat.")
    sheet = OsceSheet.objects.get()
    assert sheet.global_rating == 3 and sheet.comments == "Good apex beat."
    assert set(sheet.ticked.all()) == {first, third}


def test_marks_are_refused_for_outsiders_strangers_and_bad_ratings(station_setup):
    station, examiner, candidate, _ = station_setup
    with pytest.raises(QuestionError, match="Only this session's tutors"):
        osce.mark(TutorFactory(), station, candidate, [], 3)
    with pytest.raises(QuestionError, match="no place"):
        osce.mark(examiner, station, UserFactory(), [], 3)
    with pytest.raises(QuestionError, match="1 to 5"):
        osce.mark(examiner, station, candidate, [], 6)
    with pytest.raises(QuestionError, match="not on this station"):
        osce.mark(examiner, station, candidate, [999999], 3)
    assert not OsceSheet.objects.exists()


def test_the_phone_mark_sheet_for_each_role(station_setup):
    station, examiner, candidate, chair = station_setup
    url = reverse("sessions_app:osce_mark", args=[station.pk])
    for user, status in [(candidate, 403), (TutorFactory(), 403), (examiner, 200), (chair, 200)]:
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == status
    assert Client().get(url).status_code == 302
    client = Client()
    client.force_login(examiner)
    item = station.items.first()
    response = client.post(
        url,
        {
            "candidate": candidate.pk,
            "item": [item.pk],
            "global_rating": "4",
            "comments": "Confident.",
        },
    )
    assert response.status_code == 302
    assert OsceSheet.objects.get().global_rating == 4
    for role_user, status in [(UserFactory(), 403), (examiner, 403), (chair, 200)]:
        c = Client()
        c.force_login(role_user)
        assert c.get(reverse("sessions_app:osce_stations")).status_code == status


def test_candidates_see_their_sheet_only_once_released(station_setup):
    station, examiner, candidate, chair = station_setup
    osce.mark(examiner, station, candidate, [station.items.first().pk], 4, "Lovely rapport.")
    client = Client()
    client.force_login(candidate)
    url = reverse("sessions_app:osce_sheets")
    assert "Lovely rapport." not in client.get(url).content.decode()
    with pytest.raises(QuestionError):
        osce.release(examiner, station)
    osce.release(chair, station)
    page = client.get(url).content.decode()
    assert "Lovely rapport." in page and "4 of 5" in page and "1 of 3 checklist items" in page
    other = Client()
    other.force_login(UserFactory())
    assert "Lovely rapport." not in other.get(url).content.decode()
