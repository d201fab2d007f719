"""Inputs that answered 500 before: each now gets a page that says what is wrong, and changes
nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from meded import demo
from meded.curriculum.services import CurriculumImportError, import_curriculum
from meded.models import Topic, User
from meded.parsing import parse_id, parse_ids, parse_int
from sessions_app.scheduling.forms import SessionForm
from sessions_app.scheduling.models import TeachingSession
from tutors.allocation.forms import apply_ranking_action, parse_items
from tutors.models import Application, InterviewBooking, Ranking

HUGE = "9" * 5000


def _client(email: str | None) -> Client:
    client = Client(raise_request_exception=False)
    if email:
        assert client.login(email=email, password=demo.DEMO_PASSWORD)
    return client


@pytest.mark.parametrize("raw", ["²", "٣", "1²", HUGE, "-1", "0", "", " ", "1e3", None, 2**70])
def test_ids_are_ascii_digits_within_the_database_range(raw):
    assert parse_id(raw) is None


def test_parsing_keeps_what_is_valid():
    assert parse_id(" 42 ") == 42
    assert parse_ids(["3", "²", HUGE, "7"]) == [3, 7]
    assert parse_int("6", low=1, high=6) == 6 and parse_int("7", low=1, high=6) is None


@pytest.mark.parametrize("action", ["up:²", "down:٣", f"remove:{HUGE}", "add:"])
def test_a_ranking_button_with_a_hostile_id_leaves_the_list_alone(action):
    assert apply_ranking_action([1, 2], action) == ([1, 2], None)
    assert parse_items(["²", HUGE, "2"]) == [2]


@pytest.mark.parametrize(
    "data",
    [{"item": "²", "action": "up:1"}, {"item": "1", "action": "up:²"}, {"item": HUGE}],
)
def test_rankings_page_survives_hostile_posts(demo_society, data):
    before = list(Ranking.objects.values_list("pk", "rank"))
    response = _client(demo.TUTOR_EMAIL).post("/tutors/rankings/", data)
    assert response.status_code in (200, 302)
    assert list(Ranking.objects.values_list("pk", "rank")) == before


@pytest.mark.parametrize(
    ("email", "url"),
    [
        (demo.TUTOR_EMAIL, "/tutors/rankings/?year=²"),
        (demo.COMMITTEE_EMAIL, "/committee/curriculum/?year=²&module=٣"),
        (demo.COMMITTEE_EMAIL, f"/committee/curriculum/?module={HUGE}"),
        (demo.STUDENT_EMAIL, "/sessions/calendar/?month=9999-12"),
        (demo.STUDENT_EMAIL, "/sessions/calendar/?view=week&week=0001-01-01"),
        (demo.STUDENT_EMAIL, "/sessions/calendar/?view=week&week=9999-12-31"),
    ],
)
def test_hostile_query_strings_show_the_page(demo_society, email, url):
    assert _client(email).get(url).status_code == 200


def test_a_missing_series_is_a_404(demo_society):
    assert _client(demo.STUDENT_EMAIL).get("/sessions/series/999999/").status_code == 404


@pytest.mark.parametrize("code", ["%00", "ab%00cd"])
def test_a_nul_in_a_public_address_is_refused_with_a_reason(db, code):
    response = _client(None).get(f"/certificates/verify/{code}/")
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_a_nul_in_a_form_field_changes_nothing(demo_society):
    member = User.objects.get(email=demo.STUDENT_EMAIL)
    response = _client(member.email).post("/accounts/profile/", {"full_name": "Ada\x00Lovelace"})
    assert response.status_code == 400
    member.refresh_from_db()
    assert "\x00" not in member.full_name


@pytest.mark.parametrize("slot", ["abc", "²", HUGE, ""])
def test_booking_an_interview_with_a_bad_slot_is_a_404(demo_society, slot):
    application = Application.objects.exclude(status="draft").select_related("applicant").first()
    client = Client(raise_request_exception=False)
    client.force_login(application.applicant)
    bookings = InterviewBooking.objects.count()
    response = client.post(f"/tutors/applications/{application.pk}/interview/", {"slot": slot})
    assert response.status_code == 404
    assert InterviewBooking.objects.count() == bookings


def test_a_year_written_in_unicode_digits_gets_a_clear_import_message(db):
    with pytest.raises(CurriculumImportError) as caught:
        import_curriculum("code,title,module,years\nCV1,Heart,Cardiology,²\n")
    assert "year '²' is not a whole number from 1 to 6" in str(caught.value)
    assert "invalid literal" not in str(caught.value)
    assert not Topic.objects.filter(code="CV1").exists()


def test_zero_places_is_refused_in_the_society_s_words(db):
    form = SessionForm(data={"capacity": "0"})
    form.is_valid()
    assert "Places must be at least 1; leave empty for unlimited." in form.errors["capacity"]
    assert "session_capacity_positive_or_unlimited" not in str(form.errors)


@pytest.mark.parametrize("pk", [str(2**63), "9" * 40])
@pytest.mark.parametrize("action", ["claim", "cancel", "book"])
def test_an_id_beyond_the_database_is_a_404_found_by_the_fuzz(demo_society, pk, action):
    response = _client(demo.STUDENT_EMAIL).post(f"/sessions/{pk}/{action}/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("round_id", "first_day"), [("²", "2026-10-05"), ("1", "9999-12-31"), ("1", "0001-01-01")]
)
def test_sessions_from_an_allocation_with_hostile_values(demo_society, round_id, first_day):
    before = TeachingSession.objects.count()
    response = _client(demo.COMMITTEE_EMAIL).post(
        "/committee/sessions/from-allocation/", {"round": round_id, "first_day": first_day}
    )
    assert response.status_code in (200, 404)
    assert TeachingSession.objects.count() == before


@pytest.mark.parametrize("data", [{}, {"confirm": "name"}])
def test_approving_nothing_waiting_explains_instead_of_failing(demo_society, data):
    # a real member with nothing waiting (ids are not 1-based on PostgreSQL between tests)
    member = get_user_model().objects.get(email="student@demo.meded.test")
    data = {"member": str(member.pk), **data}
    response = _client(demo.COMMITTEE_EMAIL).post("/committee/members/years/", data)
    assert response.status_code == 302


@pytest.mark.parametrize("slot", ["²", "abc", "9" * 5000])
def test_deleting_an_interview_slot_with_a_hostile_id_is_a_404(demo_society, slot):
    round_id = Application.objects.values_list("round_id", flat=True).first()
    response = _client(demo.COMMITTEE_EMAIL).post(
        f"/committee/rounds/{round_id}/slots/", {"delete": slot}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("what", ["delete_question", "delete_criterion"])
@pytest.mark.parametrize("raw", ["' OR 1=1 --", "²", HUGE])
def test_removing_a_round_question_or_criterion_with_a_hostile_id_changes_nothing(
    demo_society, what, raw
):
    from tutors.models import RecruitmentRound, RubricCriterion
    from tutors.recruitment.models import Question

    round = RecruitmentRound.objects.order_by("pk").first()
    before = (Question.objects.count(), RubricCriterion.objects.count())
    response = _client(demo.COMMITTEE_EMAIL).post(
        f"/committee/rounds/{round.pk}/setup/", {"what": what, "id": raw}
    )
    assert response.status_code == 302
    assert (Question.objects.count(), RubricCriterion.objects.count()) == before
