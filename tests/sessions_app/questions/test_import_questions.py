"""`manage.py import_questions` and the committee's import page: every bad-row kind reported as
FILE:LINE: problem, exit non-zero, nothing imported; a good file says how many it added."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from meded.exports import read_cell
from sessions_app.questions.importing import HEADER
from sessions_app.questions.models import Question
from tests.factories.core import CommitteeFactory, TopicFactory, UserFactory
from tests.factories.questions import published

pytestmark = pytest.mark.django_db

GOOD = [
    "CARD-01;CARD-02",
    "ST elevation in II, III and aVF: which territory?",
    "Anterior",
    "Lateral",
    "Inferior",
    "Posterior",
    "Septal",
    "C",
    "The inferior leads look at the inferior wall.",
]


def csv_file(tmp_path, rows, header=HEADER):
    import csv

    path = tmp_path / "bank.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def topics():
    return [TopicFactory(code="CARD-01"), TopicFactory(code="CARD-02")]


@pytest.fixture
def chair():
    return CommitteeFactory()


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_questions", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def variant(**changes):
    row = list(GOOD)
    for name, value in changes.items():
        row[HEADER.index(name)] = value
    return row


def test_a_good_file_adds_drafts_awaiting_review(tmp_path, topics, chair):
    second = variant(stem="Which lead looks at the lateral wall?")
    out, _ = run(csv_file(tmp_path, [GOOD, second]))
    assert "2 question(s) added, awaiting review" in out
    question = Question.objects.order_by("pk").first()
    assert question.status == Question.Status.IN_REVIEW and question.live_version is None
    assert sorted(t.code for t in question.latest_version.topics.all()) == ["CARD-01", "CARD-02"]
    assert question.latest_version.answer == "C"


def test_publish_puts_them_live(tmp_path, topics, chair):
    out, _ = run(csv_file(tmp_path, [GOOD]), "--publish")
    assert "1 question(s) added, published" in out
    assert Question.objects.get().live_version is not None


@pytest.mark.parametrize(
    "row, problem",
    [
        (variant(topic_code="CARD-99"), "unknown topic code CARD-99"),
        (variant(topic_code="CARD-01;NOPE-1"), "unknown topic code NOPE-1"),
        (variant(option_c=""), "option_c is missing"),
        (variant(option_e=""), "option_e is missing"),
        (variant(answer="F"), "answer 'F' is not one of A, B, C, D, E"),
        (variant(answer=""), "answer '' is not one of A, B, C, D, E"),
        (variant(answer="AB"), "answer 'AB' is not one of A, B, C, D, E"),
        (variant(stem=""), "stem is empty"),
        (variant(explanation=""), "explanation is empty"),
    ],
)
def test_each_bad_row_kind_is_reported_with_its_line_and_nothing_is_imported(
    tmp_path, topics, chair, row, problem
):
    path = csv_file(tmp_path, [variant(stem="A fine first row?"), row])
    with pytest.raises(CommandError, match="nothing was imported"):
        run(path)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_questions", str(path), stdout=io.StringIO(), stderr=err)
    assert f"{path}:3: {problem}" in err.getvalue().splitlines()
    assert not Question.objects.exists()


def test_a_duplicate_of_an_existing_stem_is_refused(tmp_path, topics, chair):
    existing = published(
        topics=[topics[0]], stem="ST elevation in II, III and aVF: which territory?"
    )
    err = io.StringIO()
    path = csv_file(tmp_path, [GOOD])
    with pytest.raises(CommandError):
        call_command("import_questions", str(path), stdout=io.StringIO(), stderr=err)
    assert (
        f"{path}:2: duplicate: a question with this stem is already in the bank" in err.getvalue()
    )
    assert Question.objects.get() == existing


def test_a_stem_repeated_within_the_file_is_refused(tmp_path, topics, chair):
    err = io.StringIO()
    path = csv_file(
        tmp_path, [GOOD, variant(stem="  st ELEVATION in II, III and aVF:  which territory?")]
    )
    with pytest.raises(CommandError):
        call_command("import_questions", str(path), stdout=io.StringIO(), stderr=err)
    assert f"{path}:3: duplicate: the same stem is on line 2" in err.getvalue()


def test_every_bad_row_is_listed_not_just_the_first(tmp_path, topics, chair):
    err = io.StringIO()
    rows = [variant(answer="Z", stem="one?"), GOOD, variant(option_a="", stem="three?")]
    path = csv_file(tmp_path, rows)
    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_questions", str(path), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines == [
        f"{path}:2: answer 'Z' is not one of A, B, C, D, E",
        f"{path}:4: option_a is missing",
    ]


def test_a_wrong_header_is_refused(tmp_path, topics, chair):
    err = io.StringIO()
    path = csv_file(tmp_path, [GOOD], header=["topic", *HEADER[1:]])
    with pytest.raises(CommandError):
        call_command("import_questions", str(path), stdout=io.StringIO(), stderr=err)
    assert f"{path}:1: missing column(s) topic_code" in err.getvalue()


def test_a_missing_file_is_a_clear_error(tmp_path, chair):
    with pytest.raises(CommandError, match="cannot read the file"):
        run(tmp_path / "nope.csv")


def _upload(text: str, **extra):
    return {"file": SimpleUploadedFile("bank.csv", text.encode()), **extra}


def test_the_committee_import_page_lists_every_bad_row(topics):
    client = Client()
    client.force_login(CommitteeFactory())
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerow(variant(topic_code="X-1", stem="a?"))
    writer.writerow(variant(answer="G", stem="b?"))
    response = client.post(reverse("sessions_app:question_import"), _upload(buffer.getvalue()))
    page = response.content.decode()
    assert response.status_code == 200
    assert "line 2: unknown topic code X-1" in page
    assert "line 3: answer &#x27;G&#x27; is not one of A, B, C, D, E" in page
    assert "nothing was imported" in page
    assert not Question.objects.exists()


def test_the_committee_import_page_adds_a_good_file(topics):
    client = Client()
    client.force_login(CommitteeFactory())
    text = ",".join(HEADER) + "\n" + ",".join(f'"{c}"' for c in GOOD) + "\n"
    response = client.post(reverse("sessions_app:question_import"), _upload(text, publish="on"))
    assert response.status_code == 302
    assert Question.objects.get().status == Question.Status.PUBLISHED


def test_students_cannot_import():
    client = Client()
    client.force_login(UserFactory())
    response = client.post(reverse("sessions_app:question_import"), _upload("x"))
    assert response.status_code == 403


def test_export_goes_through_the_one_exporter_and_guards_formulas(topics):
    published(topics=[topics[0]], stem='=HYPERLINK("http://evil")')
    client = Client()
    client.force_login(CommitteeFactory())
    response = client.get(reverse("sessions_app:question_bank") + "?format=csv")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0] == ",".join(HEADER)
    assert "'=HYPERLINK" in text
    assert read_cell("'=HYPERLINK") == "=HYPERLINK"


def test_an_export_imports_back_after_the_bank_is_emptied(tmp_path, topics, chair):
    published(topics=topics, stem="Round trip?")
    client = Client()
    client.force_login(chair)
    text = client.get(reverse("sessions_app:question_bank") + "?format=csv").content.decode()
    Question.objects.all().delete()
    path = tmp_path / "export.csv"
    path.write_text(text)
    out, _ = run(path)
    assert "1 question(s) added" in out
    assert Question.objects.get().latest_version.stem == "Round trip?"
