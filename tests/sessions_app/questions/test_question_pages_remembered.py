"""The question pages remembered between requests (meded/remember.py): a change made through a
service shows on the very next request, no member sees another's list, and a second visit costs
the same queries whatever the size of the bank or of the member's history."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meded.remember import CSRF_SENTINEL
from sessions_app.questions import bank, exams, osce, practice
from sessions_app.questions.forms import PaperForm
from sessions_app.questions.osce_forms import StationForm
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.questions import content, draft, mock_exam_session, paper_with, published
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]

MINE = reverse("sessions_app:question_mine")
BANK = reverse("sessions_app:question_bank")
QUEUE = reverse("sessions_app:question_queue")
PROGRESS = reverse("sessions_app:practice_progress")
HUB = reverse("sessions_app:questions")
MY_EXAMS = reverse("sessions_app:exam_mine")
PAPERS = reverse("sessions_app:exam_papers")
STATIONS = reverse("sessions_app:osce_stations")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def second_visit_queries(client, url) -> int:
    client.get(url)  # the first visit fills the cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_new_question_shows_at_once_in_its_authors_list_and_nobody_elses():
    author, other = TutorFactory(), TutorFactory()
    mine, theirs = client_for(author), client_for(other)
    assert "Alpha-stem" not in page(mine, MINE) + page(theirs, MINE)
    bank.create_question(author, content(stem="Alpha-stem: which nerve?"))
    assert "Alpha-stem" in page(mine, MINE)
    assert "Alpha-stem" not in page(theirs, MINE)
    bank.create_question(other, content(stem="Beta-stem: which artery?"))
    assert "Beta-stem" in page(theirs, MINE) and "Beta-stem" not in page(mine, MINE)


def test_the_bank_shows_a_retirement_on_the_next_request():
    question = published(stem="Gamma-stem: which vein?")
    committee = client_for(CommitteeFactory())
    assert "Published" in page(committee, f"{BANK}?status=published")
    bank.retire_question(CommitteeFactory(), question)
    assert "Gamma-stem" not in page(committee, f"{BANK}?status=published")
    assert "Gamma-stem" in page(committee, f"{BANK}?status=retired")


def test_the_review_queue_follows_submissions_and_flags_and_never_shows_a_reviewer_their_own():
    chair, reviewer = CommitteeFactory(), TutorFactory()
    bank.set_reviewer(chair, reviewer, True)
    as_reviewer, as_chair = client_for(reviewer), client_for(chair)
    assert "Nothing awaits review" in page(as_reviewer, QUEUE)
    assert "Nothing awaits review" in page(as_chair, QUEUE)
    bank.create_question(reviewer, content(stem="Delta-stem: own work"), submit=True)
    assert "Delta-stem" not in page(as_reviewer, QUEUE)  # never review your own
    assert "Delta-stem" in page(as_chair, QUEUE)
    flagged = published(stem="Epsilon-stem")
    flag = bank.flag_question(UserFactory(), flagged, "wrong_answer", "The key looks wrong.")
    body = page(as_reviewer, QUEUE)
    assert "The key looks wrong." in body
    # The resolve button's CSRF token is this visitor's, never the cached placeholder.
    assert CSRF_SENTINEL not in body and 'name="csrfmiddlewaretoken"' in body
    bank.resolve_flag(chair, flag)
    assert "The key looks wrong." not in page(as_reviewer, QUEUE)


def test_progress_and_the_hub_follow_each_answer_and_stay_personal():
    question = published(answer="A")
    student, other = UserFactory(), UserFactory()
    mine, theirs = client_for(student), client_for(other)
    code = question.live_version.topics.get().code
    assert code not in page(mine, PROGRESS) + page(mine, HUB)
    practice_set = practice.start_practice(student, count=1)
    practice.answer(student, practice_set, 1, "A")
    assert code in page(mine, PROGRESS) and code in page(mine, HUB)
    assert code not in page(theirs, PROGRESS) + page(theirs, HUB)


def test_my_exams_shows_a_booked_paper_at_once_and_only_to_its_candidates():
    student, other = UserFactory(), UserFactory()
    mine, theirs = client_for(student), client_for(other)
    assert "No mock exams booked." in page(mine, MY_EXAMS) and "mock exam" not in page(mine, HUB)
    paper = paper_with([published()], students=[student])
    assert paper.title in page(mine, MY_EXAMS) and "1 mock exam you booked" in page(mine, HUB)
    assert "No mock exams booked." in page(theirs, MY_EXAMS)


def test_the_station_list_shows_committee_links_to_the_committee_only():
    chair, reviewer = CommitteeFactory(), TutorFactory()
    bank.set_reviewer(chair, reviewer, True)
    session = TeachingSessionFactory(kind="clinical_skills")
    osce.create_station(chair, title="Knee exam", scenario="s", session=session, checklist=["a"])
    csv = reverse("sessions_app:osce_marks_csv", args=[session.pk])
    assert csv in page(client_for(chair), STATIONS)
    body = page(client_for(reviewer), reverse("sessions_app:osce_station_list"))
    assert "Knee exam" in body and csv not in body


def test_the_papers_list_shows_a_new_paper_on_the_next_request():
    chair = CommitteeFactory()
    client = client_for(chair)
    assert "No papers yet." in page(client, PAPERS)
    exams.create_paper(chair, title="Spring mock", session=None, time_limit_minutes=60)
    assert "Spring mock" in page(client, PAPERS)


# -- cost does not grow with the bank or the history ------------------------------------------


def test_a_writers_list_costs_the_same_queries_for_1_or_30_questions():
    author = TutorFactory()
    client = client_for(author)
    draft(author=author)
    one = second_visit_queries(client, MINE)
    for _ in range(29):
        draft(author=author)
    assert second_visit_queries(client, MINE) == one
    assert "Page 1 of 2" in page(client, MINE)


def test_the_bank_and_papers_cost_the_same_queries_for_1_or_30_rows():
    chair = CommitteeFactory()
    client = client_for(chair)
    published()
    exams.create_paper(chair, title="Paper 0", session=None, time_limit_minutes=60)
    before = (second_visit_queries(client, BANK), second_visit_queries(client, PAPERS))
    for n in range(29):
        published()
        exams.create_paper(chair, title=f"Paper {n + 1}", session=None, time_limit_minutes=60)
    assert (second_visit_queries(client, BANK), second_visit_queries(client, PAPERS)) == before


def test_my_exams_and_progress_cost_the_same_queries_for_a_short_or_long_history():
    student, chair = UserFactory(), CommitteeFactory()
    client = client_for(student)
    start = timezone.now() - timedelta(days=400)

    def sit_one(n: int) -> None:
        session = mock_exam_session(start + timedelta(days=n))
        BookingFactory(session=session, student=student)
        exams.create_paper(chair, title=f"Mock {n}", session=session, time_limit_minutes=60)
        s = practice.start_practice(student, count=1)
        practice.answer(student, s, 1, "A")

    published(answer="A")
    sit_one(0)
    before = [second_visit_queries(client, url) for url in (MY_EXAMS, PROGRESS, HUB)]
    for n in range(1, 30):
        sit_one(n)
    assert [second_visit_queries(client, url) for url in (MY_EXAMS, PROGRESS, HUB)] == before
    assert "Mock 29" in page(client, MY_EXAMS)  # newest first, a page at a time
    assert "Mock 0" in page(client, f"{MY_EXAMS}?page=2")


def test_choosing_practice_questions_costs_the_same_queries_for_any_bank_or_history():
    student = UserFactory()
    for _ in range(3):
        published(answer="A")

    def start_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            practice_set = practice.start_practice(student, count=2)
        for item in practice_set.items.all():
            practice.answer(student, practice_set, item.position, "A")
        return len(queries)

    small = start_queries()
    for _ in range(20):
        published(answer="A")
    for _ in range(5):
        start_queries()
    assert start_queries() == small


# -- the session a new paper or station is for ----------------------------------------------


def test_new_papers_and_stations_offer_coming_sessions_and_keep_the_one_already_chosen():
    past = mock_exam_session(timezone.now() - timedelta(days=30))
    coming = mock_exam_session(timezone.now() + timedelta(days=3))
    offered = set(PaperForm().fields["session"].queryset)
    assert coming in offered and past not in offered
    assert past in set(PaperForm(current_session=past.pk).fields["session"].queryset)
    assert past not in set(StationForm().fields["session"].queryset)
    assert past in set(StationForm(current_session=past.pk).fields["session"].queryset)


def test_the_home_page_names_coming_and_released_exams_not_old_unreleased_ones():
    student, chair = UserFactory(), CommitteeFactory()
    now = timezone.now()

    def booked(title: str, starts_at, release: bool = False):
        session = mock_exam_session(starts_at)
        BookingFactory(session=session, student=student)
        paper = exams.create_paper(chair, title=title, session=session, time_limit_minutes=60)
        if release:
            paper.results_released_at = now
            paper.save(update_fields=["results_released_at"])

    booked("Old unreleased mock", now - timedelta(days=90))
    booked("Released mock", now - timedelta(days=30), release=True)
    booked("Coming mock", now + timedelta(days=5))
    body = page(client_for(student), "/")
    assert "Released mock" in body and "Coming mock" in body
    assert "Old unreleased mock" not in body
    assert body.index("Released mock") < body.index("Coming mock")  # soonest first
