"""Question banks in and out as CSV: the all-or-nothing import (`manage.py import_questions`,
the committee's page) and the export in the same format, through the one exporter."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction

from meded.curriculum.models import Topic
from meded.exports import csv_text, read_cell

from .errors import QuestionError
from .models import LETTERS, Question, QuestionVersion

HEADER = [
    "topic_code",
    "stem",
    "option_a",
    "option_b",
    "option_c",
    "option_d",
    "option_e",
    "answer",
    "explanation",
]
MAX_ROWS = 5000


@dataclass
class RowProblem:
    line: int
    message: str


class QuestionImportError(QuestionError):
    """The file was refused as a whole; `problems` lists every bad line."""

    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        super().__init__("; ".join(f"line {p.line}: {p.message}" for p in problems), field="file")


def normalise_stem(stem: str) -> str:
    return re.sub(r"\s+", " ", stem).strip().casefold()


def _cell(record: dict, name: str) -> str:
    return read_cell((record.get(name) or "").strip())


def parse(text: str) -> list[tuple[int, list[Topic], dict]]:
    """Every row checked; every problem reported with its line. Nothing is written here."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in HEADER if c not in header]
    if missing:
        raise QuestionImportError(
            [
                RowProblem(
                    1,
                    f"missing column(s) {', '.join(missing)}; the header must be "
                    f"{','.join(HEADER)}",
                )
            ]
        )
    reader.fieldnames = header
    topics = {t.code: t for t in Topic.objects.all()}
    existing = {
        normalise_stem(s)
        for s in QuestionVersion.objects.exclude(
            question__status=Question.Status.REJECTED
        ).values_list("stem", flat=True)
    }
    seen: dict[str, int] = {}
    problems: list[RowProblem] = []
    rows = []
    for record in reader:
        line = reader.line_num
        if not any((v or "").strip() for v in record.values() if isinstance(v, str)):
            continue
        if len(rows) + len(problems) > MAX_ROWS:
            problems.append(RowProblem(line, f"more than {MAX_ROWS} rows; split the file"))
            break
        row_problems = []
        codes = [c.strip() for c in _cell(record, "topic_code").split(";") if c.strip()]
        if not codes:
            row_problems.append("topic_code is empty")
        unknown = [c for c in codes if c not in topics]
        if unknown:
            row_problems.append(f"unknown topic code {', '.join(unknown)}")
        stem = _cell(record, "stem")
        if not stem:
            row_problems.append("stem is empty")
        else:
            key = normalise_stem(stem)
            if key in existing:
                row_problems.append("duplicate: a question with this stem is already in the bank")
            elif key in seen:
                row_problems.append(f"duplicate: the same stem is on line {seen[key]}")
            else:
                seen[key] = line
        options = [_cell(record, f"option_{x.lower()}") for x in LETTERS]
        for letter, text in zip(LETTERS, options, strict=False):
            if not text:
                row_problems.append(f"option_{letter.lower()} is missing")
        answer = _cell(record, "answer").upper()
        if answer not in LETTERS:
            raw = _cell(record, "answer")
            row_problems.append(f"answer {raw!r} is not one of A, B, C, D, E")
        explanation = _cell(record, "explanation")
        if not explanation:
            row_problems.append("explanation is empty")
        if row_problems:
            problems.extend(RowProblem(line, m) for m in row_problems)
            continue
        rows.append(
            (
                line,
                [topics[c] for c in dict.fromkeys(codes)],
                {"stem": stem, "options": options, "answer": answer, "explanation": explanation},
            )
        )
    if problems:
        raise QuestionImportError(problems)
    if not rows:
        raise QuestionImportError([RowProblem(1, "the file has no questions")])
    return rows


def import_questions(text: str, author, *, publish: bool = False) -> int:
    """Add every row as a draft awaiting review (or published), or none; returns how many."""
    rows = parse(text)
    status = Question.Status.PUBLISHED if publish else Question.Status.IN_REVIEW
    with transaction.atomic():
        for _line, topics, values in rows:
            question = Question.objects.create(author=author, status=status)
            version = QuestionVersion(
                question=question,
                number=1,
                stem=values["stem"],
                answer=values["answer"],
                explanation=values["explanation"],
                created_by=author,
            )
            for letter, text_ in zip(LETTERS, values["options"], strict=False):
                setattr(version, f"option_{letter.lower()}", text_)
            version.save()
            version.topics.set(topics)
            question.latest_version = version
            question.live_version = version if publish else None
            question.save(update_fields=["latest_version", "live_version"])
    return len(rows)


def export_rows(questions) -> Iterator[list]:
    for question in questions:
        v = question.latest_version
        codes = ";".join(sorted(t.code for t in v.topics.all()))
        yield [codes, v.stem, *[text for _, text in v.options], v.answer, v.explanation]


def export_csv(questions) -> str:
    return csv_text(HEADER, export_rows(questions))
