"""Every question page for every role (visitor, student, tutor, reviewer, committee), the forms
that drive the flow, the private image, and lists that cost the same queries for 1 or 20 rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions_app.questions import bank
from sessions_app.questions.models import Question
from tests.factories.core import CommitteeFactory, TopicFactory, TutorFactory, UserFactory
from tests.factories.questions import content, draft, published

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def people():
    reviewer = TutorFactory()
    chair = CommitteeFactory()
    bank.set_reviewer(chair, reviewer, True)
    return {
        "visitor": None,
        "student": UserFactory(),
        "tutor": TutorFactory(),
        "reviewer": reviewer,
        "committee": chair,
    }


PAGES = {
    # name: expected status for visitor, student, tutor, reviewer, committee
    "sessions_app:questions": (302, 200, 200, 200, 200),
    "sessions_app:question_mine": (302, 403, 200, 200, 200),
    "sessions_app:question_new": (302, 403, 200, 200, 200),
    "sessions_app:question_queue": (302, 403, 403, 200, 200),
    "sessions_app:practice_start": (302, 200, 200, 200, 200),
    "sessions_app:practice_progress": (302, 200, 200, 200, 200),
    "sessions_app:exam_mine": (302, 200, 200, 200, 200),
    "sessions_app:question_bank": (302, 403, 403, 403, 200),
    "sessions_app:question_import": (302, 403, 403, 403, 200),
    "sessions_app:question_reviewers": (302, 403, 403, 403, 200),
    "sessions_app:exam_papers": (302, 403, 403, 403, 200),
    "sessions_app:exam_paper_new": (302, 403, 403, 403, 200),
}
ROLES = ["visitor", "student", "tutor", "reviewer", "committee"]


@pytest.mark.parametrize("name", PAGES)
def test_each_page_answers_each_role(people, name):
    for role, expected in zip(ROLES, PAGES[name], strict=True):
        response = client_for(people[role]).get(reverse(name))
        assert response.status_code == expected, (name, role)


def test_a_question_in_review_is_seen_by_its_author_and_reviewers_only(people):
    author = TutorFactory()
    question = bank.create_question(author, content(), submit=True)
    url = question.get_absolute_url()
    expected = {"visitor": 302, "student": 403, "tutor": 403, "reviewer": 200, "committee": 200}
    for role, status in expected.items():
        assert client_for(people[role]).get(url).status_code == status, role
    assert client_for(author).get(url).status_code == 200


def test_only_a_reviewer_records_a_decision(people):
    question = bank.create_question(TutorFactory(), content(), submit=True)
    url = reverse("sessions_app:question_review", args=[question.pk])
    for role in ("student", "tutor"):
        assert client_for(people[role]).post(url, {"decision": "approve"}).status_code == 403
    question.refresh_from_db()
    assert question.status == Question.Status.IN_REVIEW
    response = client_for(people["reviewer"]).post(url, {"decision": "approve"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED


def test_a_tutor_writes_and_submits_through_the_form():
    tutor, topic = TutorFactory(), TopicFactory()
    data = {
        "stem": "Which vessel?",
        "option_a": "Aorta",
        "option_b": "Vena cava",
        "option_c": "Pulmonary artery",
        "option_d": "Pulmonary vein",
        "option_e": "Coronary sinus",
        "answer": "A",
        "explanation": "The aorta leaves the left ventricle.",
        "topics": [topic.pk],
        "submit": "1",
    }
    response = client_for(tutor).post(reverse("sessions_app:question_new"), data)
    question = Question.objects.get()
    assert response.status_code == 302
    assert question.status == Question.Status.IN_REVIEW and question.author == tutor


def test_a_bad_form_shows_the_error_next_to_the_field_and_saves_nothing():
    response = client_for(TutorFactory()).post(
        reverse("sessions_app:question_new"),
        {
            "stem": "x",
            "option_a": "same",
            "option_b": "same",
            "option_c": "c",
            "option_d": "d",
            "option_e": "e",
            "answer": "A",
            "explanation": "e",
            "topics": [TopicFactory().pk],
        },
    )
    assert response.status_code == 200
    assert "Two options say the same thing" in response.content.decode()
    assert not Question.objects.exists()


def test_the_image_is_private_and_served_only_to_those_allowed(people):
    author = TutorFactory()
    image = SimpleUploadedFile("ecg.png", PNG, content_type="image/png")
    question = bank.create_question(
        author, content(image=image, image_alt="A 12-lead ECG with ST elevation")
    )
    url = reverse("sessions_app:question_image", args=[question.latest_version_id])
    assert client_for(author).get(url).status_code == 200
    for role in ("student", "tutor", "committee"):
        assert client_for(people[role]).get(url).status_code == 404, role
    assert client_for(None).get(url).status_code == 302


def test_an_image_needs_a_description_and_an_image_type():
    with pytest.raises(Exception, match="Describe the image"):
        bank.create_question(TutorFactory(), content(image=SimpleUploadedFile("a.png", PNG)))
    with pytest.raises(Exception, match="PNG, JPEG"):
        bank.create_question(
            TutorFactory(),
            content(image=SimpleUploadedFile("a.svg", b"<svg/>"), image_alt="x"),
        )


def test_a_student_flags_a_question_from_practice():
    question, student = published(), UserFactory()
    url = reverse("sessions_app:question_flag", args=[question.pk])
    response = client_for(student).post(url, {"reason": "unclear", "comment": "Which side?"})
    assert response.status_code == 302
    assert question.flags.get().comment == "Which side?"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["question_bank", "question_mine", "question_queue"])
def test_lists_cost_the_same_queries_for_one_or_twenty_questions(name):
    chair, author = CommitteeFactory(), TutorFactory()
    author.groups.add(*chair.groups.all())  # the author sees "mine"; chair sees bank/queue
    viewer = author if name == "question_mine" else chair

    def add():
        q = bank.create_question(author, content(), submit=True)
        if name != "question_queue":
            bank.review_question(CommitteeFactory(), q, "approve")

    add()
    url = reverse(f"sessions_app:{name}")
    one = _queries(client_for(viewer), url)
    for _ in range(19):
        add()
    assert _queries(client_for(viewer), url) == one


def test_draft_of_others_is_not_in_the_committee_bank():
    mine = draft(TutorFactory())
    page = client_for(CommitteeFactory()).get(reverse("sessions_app:question_bank"))
    assert f"Q{mine.pk}<" not in page.content.decode()
