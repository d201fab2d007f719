"""Custom application questions: required, choices, file type by content and size."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meded.models import SentEmail
from tests.factories import UserFactory
from tests.factories.tutors import RecruitmentRoundFactory
from tutors.models import Application, Question
from tutors.recruitment.forms import ApplicationForm

pytestmark = pytest.mark.django_db
BASE = {
    "year_of_study": "6",
    "motivation": "Why not",
    "experience": "None yet",
    "strengths": "Anatomy",
    "availability": ["online"],
}
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def zip_bytes(*names: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in names:
            z.writestr(name, "<x/>")
    return buf.getvalue()


@pytest.fixture
def round():
    r = RecruitmentRoundFactory()
    Question.objects.create(
        round=r, kind="single_choice", label="Campus", choices="North\nSouth", required=True
    )
    Question.objects.create(
        round=r, kind="multiple_choice", label="Modes", choices="Lecture\nSmall group"
    )
    Question.objects.create(round=r, kind="yes_no", label="Taught before?", required=True)
    Question.objects.create(round=r, kind="short_text", label="Society role")
    Question.objects.create(round=r, kind="file", label="CV", required=True)
    return r


def form(round, data=None, files=None, draft=False):
    q = {x.kind: x for x in round.questions.all()}
    data = {**BASE, **(data or {})}
    payload = {
        **data,
        f"q_{q['single_choice'].pk}": data.pop("campus", "North"),
        f"q_{q['multiple_choice'].pk}": data.pop("modes", ["Lecture"]),
        f"q_{q['yes_no'].pk}": data.pop("yes_no", "yes"),
    }
    files = files if files is not None else {f"q_{q['file'].pk}": SimpleUploadedFile("cv.pdf", PDF)}
    files = {k.replace("FILE", str(q["file"].pk)): v for k, v in files.items()}
    return ApplicationForm(payload, files, round=round, draft=draft), q


def test_a_complete_answer_set_is_valid(round):
    f, _ = form(round)
    assert f.is_valid(), f.errors


def test_required_questions_are_required_on_submit_but_not_for_a_draft(round):
    f, q = form(round, {"yes_no": ""}, files={})
    assert not f.is_valid()
    assert f"q_{q['yes_no'].pk}" in f.errors and f"q_{q['file'].pk}" in f.errors
    f, _ = form(round, {"yes_no": "", "motivation": ""}, files={}, draft=True)
    assert f.is_valid(), f.errors


def test_choices_outside_the_list_are_refused(round):
    f, q = form(round, {"campus": "East", "modes": ["Lecture", "Hack"]})
    assert not f.is_valid()
    assert f"q_{q['single_choice'].pk}" in f.errors and f"q_{q['multiple_choice'].pk}" in f.errors


@pytest.mark.parametrize(
    "name,content,ok",
    [
        ("cv.pdf", PDF, True),
        ("cv.docx", zip_bytes("[Content_Types].xml", "word/document.xml"), True),
        ("cv.docx", zip_bytes("payload.txt"), False),  # a zip that is not a Word file
        ("cv.pdf", b"MZ\x90\x00 not a pdf at all", False),  # renamed executable
        ("cv.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, False),
    ],
)
def test_the_cv_is_checked_by_content_not_by_name(round, name, content, ok):
    f, _ = form(round, files={"q_FILE": SimpleUploadedFile(name, content)})
    assert f.is_valid() is ok


def test_a_cv_over_the_size_limit_is_refused(round, settings):
    settings.MEDED_MAX_CV_BYTES = 30
    f, q = form(round)
    assert not f.is_valid()
    assert "too large" in str(f.errors[f"q_{q['file'].pk}"])


def test_applying_through_the_page_stores_answers_and_the_private_file(client, round, settings):
    member = UserFactory(year_of_study="6")
    client.force_login(member)
    f, q = form(round)
    payload = {k: v for k, v in f.data.items()}
    payload["submit"] = "1"
    payload[f"q_{q['file'].pk}"] = SimpleUploadedFile("My CV.pdf", PDF, "application/pdf")
    response = client.post(reverse("tutors_apply"), payload)
    assert response.status_code == 302
    app = Application.objects.get(applicant=member)
    assert app.status == "submitted"
    cv = app.answers.get(question=q["file"])
    assert cv.file_name == "My CV.pdf" and "My CV" not in cv.file.name
    assert str(settings.MEDIA_ROOT) in cv.file.path
    assert app.answers.get(question=q["multiple_choice"]).choices == ["Lecture"]
    assert (
        SentEmail.objects.filter(recipient=member, kind="tutors_application_received").count() == 1
    )
    # editing later keeps the CV without re-uploading it
    payload.pop(f"q_{q['file'].pk}")
    payload["strengths"] = "Renal"
    assert client.post(reverse("tutors_apply"), payload).status_code == 302
    cv.refresh_from_db()
    assert cv.file and Application.objects.get(pk=app.pk).strengths == "Renal"
    page = client.get(reverse("tutors_apply")).content.decode()
    assert "Uploaded: My CV.pdf" in page and cv.file.name not in page


def test_a_bad_submission_changes_nothing_and_shows_errors(client, round):
    member = UserFactory()
    client.force_login(member)
    response = client.post(reverse("tutors_apply"), {"submit": "1"})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Application.objects.filter(applicant=member).exists()


def test_choice_questions_need_two_choices():
    from tutors.recruitment.forms import QuestionForm

    f = QuestionForm({"label": "Pick", "kind": "single_choice", "choices": "Only", "order": 0})
    assert not f.is_valid() and "choices" in f.errors
