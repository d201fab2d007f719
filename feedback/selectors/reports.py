"""The survey report and the anonymous CSV export, reproducible from the data in one click."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from feedback.models import Response
from meded.exports import csv_text

from .filters import EARLY_YEARS, LATER_YEARS, Filters, answers_for, filtered_sessions
from .stats import ANSWER_FIELDS, QuestionStats, questions_for, summarise

GROUPS: list[tuple[str, str, list[str] | None]] = [
    ("all", "All respondents", None),
    ("early", "Years 1-2", EARLY_YEARS),
    ("later", "Years 3-6", LATER_YEARS),
    *[(str(n), f"Year {n}", [str(n)]) for n in range(1, 7)],
    ("other", "Intercalated or graduated", ["other"]),
]


@dataclass
class ReportColumn:
    key: str
    label: str
    respondents: int

    @property
    def withheld(self) -> bool:
        """Too few respondents to report without risking identification."""
        return 0 < self.respondents < settings.MEDED_FEEDBACK_MIN_RESPONSES


@dataclass
class ReportRow:
    question: str
    answer: str
    cells: list[tuple[int, float]]  # (count, percent) per column


@dataclass
class SurveyReport:
    columns: list[ReportColumn]
    sections: list[tuple[str, str, list[ReportRow], list[float | None]]]  # text, type, rows, means


def survey_report(filters: Filters) -> SurveyReport:
    """Counts and percentages per answer for every closed question, per year group."""
    rows = list(answers_for(filters).values(*ANSWER_FIELDS, "response_id"))
    questions = questions_for(rows)
    columns, per_group = [], []
    for key, label, years in GROUPS:
        group_rows = [r for r in rows if years is None or r["response__year_group"] in years]
        respondents = len({r["response_id"] for r in group_rows})
        columns.append(ReportColumn(key, label, respondents))
        if columns[-1].withheld:
            group_rows = []
        per_group.append({s.key: s for s in summarise(group_rows, questions)})
    sections = []
    for stats in per_group[0].values():
        if stats.is_text:
            continue
        report_rows = []
        for index, bucket in enumerate(stats.buckets):
            cells = []
            for group in per_group:
                g: QuestionStats | None = group.get(stats.key)
                b = g.buckets[index] if g and index < len(g.buckets) else None
                cells.append((b.count, b.percent) if b else (0, 0.0))
            label = (
                bucket.label if bucket.label == bucket.value else f"{bucket.value} {bucket.label}"
            )
            report_rows.append(ReportRow(stats.text, label, cells))
        means = [g[stats.key].mean if stats.key in g else None for g in per_group]
        sections.append((stats.text, stats.type, report_rows, means))
    return SurveyReport(columns, sections)


def survey_header(report: SurveyReport) -> list[str]:
    header = ["question", "answer"]
    for c in report.columns:
        header += [f"{c.label} n", f"{c.label} %"]
    return header


def survey_rows(report: SurveyReport) -> Iterator[list[Any]]:
    """The report as spreadsheet rows: respondents, then counts and percentages, then means."""
    yield ["respondents", ""] + [x for c in report.columns for x in (c.respondents, "")]
    for text, _type, rows, means in report.sections:
        for row in rows:
            yield [text, row.answer] + [x for cell in row.cells for x in cell]
        if any(m is not None for m in means):
            yield [text, "mean"] + [x for m in means for x in (m if m else "", "")]


def survey_csv(report: SurveyReport) -> str:
    return csv_text(survey_header(report), survey_rows(report))


EXPORT_HEADER = [
    "response",
    "session_id",
    "session_title",
    "session_date",
    "session_kind",
    "topic",
    "submitted_on",
    "mode",
    "year_group",
    "question",
    "tutor_number",
    "value",
]


WITHHELD = "withheld"


def _small_groups(filters: Filters, field: str) -> set[tuple[int, str]]:
    """(session, value) pairs shared by fewer than N responses: the committee knows who came
    and who watched the recording, so a lone Year 1 or a lone viewer would be recognisable."""
    rows = (
        Response.objects.filter(session__in=filtered_sessions(filters).values("pk"))
        .values_list("session_id", field)
        .annotate(n=Count("id"))
    )
    return {(sid, value) for sid, value, n in rows if n < settings.MEDED_FEEDBACK_MIN_RESPONSES}


def export_rows(filters: Filters) -> Iterator[list[Any]]:
    """One row per answer. No respondent data: a random response id, the day, the year group.

    Hidden free text is left out; a per-tutor item names the tutor by position (1, 2, ...).
    Year group and mode are withheld where fewer than N responses to the session share them.
    """
    small_years = _small_groups(filters, "year_group")
    small_modes = _small_groups(filters, "mode")
    answers = (
        answers_for(filters)
        .exclude(review="hidden")
        .select_related("response__session__topic", "question")
        .prefetch_related("response__session__tutors")
        .order_by("response__session__starts_at", "response_id", "question__order")
    )
    for a in answers:
        session = a.response.session
        tutor_ids = [t.pk for t in session.tutors.all()]
        number = tutor_ids.index(a.tutor_id) + 1 if a.tutor_id in tutor_ids else ""
        if a.value_int is not None:
            value = a.value_int
        elif a.value_choices:
            value = "; ".join(a.value_choices)
        else:
            value = a.value_text
        yield [
            a.response_id,
            session.pk,
            session.title,
            timezone.localtime(session.starts_at).date().isoformat(),
            session.kind,
            session.topic.code if session.topic else "",
            a.response.submitted_on.isoformat(),
            WITHHELD if (session.pk, a.response.mode) in small_modes else a.response.mode,
            WITHHELD
            if (session.pk, a.response.year_group) in small_years
            else a.response.year_group,
            a.question.key,
            number,
            value,
        ]


def export_csv(filters: Filters) -> str:
    """The anonymous export as CSV text (see export_rows)."""
    return csv_text(EXPORT_HEADER, export_rows(filters))
