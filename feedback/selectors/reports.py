"""The survey report and the anonymous CSV exports, reproducible from the data in one click.

Everything here goes through feedback.disclosure: only released sessions (window closed, >= k
responses); year-group columns only from sessions whose year cells and their complements are all
0 or >= k; no per-response row with year group, mode or date; free text in its own export,
approved only, shuffled, with nothing but the session and question beside it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from feedback import disclosure
from feedback.models import ReviewStatus
from meded.exports import csv_text

from .filters import EARLY_YEARS, LATER_YEARS, Filters, answers_for, filtered_sessions
from .stats import ANSWER_FIELDS, QuestionStats, questions_for, summarise

GROUPS: list[tuple[str, str, list[str] | None, str | None]] = [
    ("all", "All respondents", None, None),
    ("early", "Years 1-2", EARLY_YEARS, "band"),
    ("later", "Years 3-6", LATER_YEARS, "band"),
    *[(str(n), f"Year {n}", [str(n)], "year") for n in range(1, 7)],
    ("other", "Intercalated or graduated", ["other"], "band"),
]


@dataclass
class ReportColumn:
    key: str
    label: str
    respondents: int
    sessions: int  # released sessions this column draws on

    @property
    def withheld(self) -> bool:
        """Nothing to show (every shown column has 0 or at least k respondents by construction)."""
        return self.respondents == 0


@dataclass
class ReportRow:
    question: str
    answer: str
    cells: list[tuple[int, float]]  # (count, percent) per column


@dataclass
class SurveyReport:
    columns: list[ReportColumn]
    sections: list[tuple[str, str, list[ReportRow], list[float | None]]]  # text, type, rows, means
    released: int = 0  # released sessions in the filtered set


def _pool(filters: Filters) -> list[int]:
    return disclosure.released_ids(filtered_sessions(filters))


def survey_report(filters: Filters) -> SurveyReport:
    """Counts and percentages per answer for every closed question, per year group."""
    pool = _pool(filters)
    groups = filters.year_groups()
    if groups:  # the filter itself is a breakdown: only sessions safe at its level
        pool = sorted(disclosure.breakdown_sessions(pool, disclosure.level_of(groups)))
    blocks = disclosure.year_blocks(pool)
    safe = {level: disclosure.safe_sessions(blocks, level) for level in disclosure.LEVELS}
    rows = list(
        answers_for(filters)
        .filter(response__session_id__in=pool)
        .values(*ANSWER_FIELDS, "response_id")
    )
    questions = questions_for(rows)
    columns, per_group = [], []
    for key, label, years, level in GROUPS:
        usable = set(pool) if level is None else safe[level]
        group_rows = [
            r
            for r in rows
            if r["response__session_id"] in usable
            and (years is None or r["response__year_group"] in years)
        ]
        respondents = len({r["response_id"] for r in group_rows})
        columns.append(ReportColumn(key, label, respondents, len(usable)))
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
    return SurveyReport(columns, sections, len(pool))


def survey_header(report: SurveyReport) -> list[str]:
    header = ["question", "answer"]
    for c in report.columns:
        header += [f"{c.label} n", f"{c.label} %"]
    return header


def survey_rows(report: SurveyReport) -> Iterator[list[Any]]:
    """The report as spreadsheet rows: respondents, then counts and percentages, then means."""
    yield ["respondents", ""] + [x for c in report.columns for x in (c.respondents, "")]
    yield ["sessions drawn on", ""] + [x for c in report.columns for x in (c.sessions, "")]
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
    "question",
    "tutor_number",
    "value",
]


def _sessions_by_id(pool: list[int]) -> dict:
    from sessions_app.models import TeachingSession

    return {
        s.pk: s
        for s in TeachingSession.objects.filter(pk__in=pool)
        .select_related("topic")
        .prefetch_related("tutors")
    }


def export_rows(filters: Filters) -> Iterator[list[Any]]:
    """One row per closed-question answer from released sessions, keyed by a random response id.

    No year group, mode or date of answering (rule 5: those pick out a lone respondent), and no
    free text (see comment_rows). A per-tutor item names the tutor by position (1, 2, ...).
    Answers are read as plain tuples in chunks: memory stays bounded whatever the history.
    """
    pool = _pool(filters)
    columns, numbers = {}, {}
    for sid, session in _sessions_by_id(pool).items():
        columns[sid] = [
            session.pk,
            session.title,
            timezone.localtime(session.starts_at).date().isoformat(),
            session.kind,
            session.topic.code if session.topic else "",
        ]
        numbers[sid] = {t.pk: n for n, t in enumerate(session.tutors.all(), start=1)}
    answers = (
        answers_for(filters)
        .filter(response__session_id__in=pool, value_text="")
        .order_by("response__session_id", "response_id", "question__order", "tutor_id")
        .values_list(
            "response_id",
            "response__session_id",
            "question__key",
            "tutor_id",
            "value_int",
            "value_choices",
        )
    )
    for response, sid, key, tutor, number, choices in answers.iterator(chunk_size=2000):
        value = number if number is not None else "; ".join(choices or [])
        yield [response, *columns[sid], key, numbers[sid].get(tutor, ""), value]


def export_csv(filters: Filters) -> str:
    """The anonymous export as CSV text (see export_rows)."""
    return csv_text(EXPORT_HEADER, export_rows(filters))


COMMENT_HEADER = ["session_id", "session_title", "question", "comment"]


def comment_rows(filters: Filters, rng: random.Random | None = None) -> list[list[Any]]:
    """Approved free text from released sessions, shuffled, with no response id, date, year
    group or mode: a comment cannot be joined to its writer's other answers or traits."""
    pool = _pool(filters)
    sessions = _sessions_by_id(pool)
    rows = [
        [sid, sessions[sid].title, key, text]
        for sid, key, text in answers_for(filters)
        .filter(response__session_id__in=pool, review=ReviewStatus.APPROVED)
        .exclude(value_text="")
        .values_list("response__session_id", "question__key", "value_text")
    ]
    (rng or random.SystemRandom()).shuffle(rows)
    return rows
