"""Turn answer rows into per-question statistics: counts, means, distributions, free text."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from feedback.models import Question, QuestionType
from meded.prepared import PreparedForIds

ANSWER_FIELDS = (
    "question_id",
    "tutor_id",
    "value_int",
    "value_text",
    "value_choices",
    "review",
    "response__session_id",
    "response__year_group",
)


@dataclass
class Bucket:
    value: str
    label: str
    count: int = 0
    percent: float = 0.0


@dataclass
class QuestionStats:
    key: str
    text: str
    type: str
    n: int = 0
    total: float = 0.0
    sum_squares: float = 0.0
    buckets: list[Bucket] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    @property
    def mean(self) -> float | None:
        return round(self.total / self.n, 2) if self.n and self.is_numeric else None

    @property
    def spread(self) -> float | None:
        """The standard deviation of the answers (population), beside the mean as its spread."""
        if not (self.n and self.is_numeric):
            return None
        mean = self.total / self.n
        return round(max(self.sum_squares / self.n - mean * mean, 0.0) ** 0.5, 2)

    @property
    def is_numeric(self) -> bool:
        return self.type in (QuestionType.LIKERT, QuestionType.RATING)

    @property
    def is_likert(self) -> bool:
        return self.type == QuestionType.LIKERT

    @property
    def is_text(self) -> bool:
        return self.type == QuestionType.TEXT

    def finish(self) -> None:
        """Percentages of those who answered the question (for multiple choice, of respondents,
        so the options can add up to more than 100%)."""
        for b in self.buckets:
            b.percent = round(100 * b.count / self.n, 1) if self.n else 0.0

    def diverging(self) -> dict:
        """Widths for a diverging stacked bar centred on the neutral point.

        Each half of the bar stands for 100% of the answers, so negative answers grow left and
        positive ones right and neither side can overflow; the neutral share is split in two.
        """
        p = [b.percent for b in self.buckets]
        b = self.buckets
        neutral = ("l3", round(p[2] / 2, 2), b[2])
        return {
            "left": [("l1", p[0], b[0]), ("l2", p[1], b[1]), neutral],
            "right": [neutral, ("l4", p[3], b[3]), ("l5", p[4], b[4])],
            "disagree": round(p[0] + p[1], 1),
            "agree": round(p[3] + p[4], 1),
        }


def new_stats(question: Question) -> QuestionStats:
    stats = QuestionStats(key=question.key, text=question.text, type=question.type)
    if question.is_numeric:
        labels = question.anchors or [str(v) for v in question.scale]
        if question.type == QuestionType.RATING:
            labels = [str(v) for v in question.scale]
        stats.buckets = [Bucket(str(v), lbl) for v, lbl in zip(question.scale, labels, strict=True)]
    elif question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        stats.buckets = [Bucket(c, c) for c in question.choices]
    return stats


def summarise(
    rows: Iterable[dict], questions: dict[int, Question], *, text_filter=None
) -> list[QuestionStats]:
    """Group answers by question key (forms of different rounds share keys) in question order.

    text_filter(row) -> bool decides which free-text answers are listed (e.g. approved only).
    """
    by_key: dict[str, QuestionStats] = {}
    order: dict[str, tuple] = {}
    for row in rows:
        question = questions[row["question_id"]]
        stats = by_key.get(question.key)
        if stats is None:
            stats = by_key[question.key] = new_stats(question)
            order[question.key] = (question.order, question.key)
        if question.is_numeric and row["value_int"] is not None:
            stats.n += 1
            stats.total += row["value_int"]
            stats.sum_squares += row["value_int"] ** 2
            index = question.scale.index(row["value_int"])
            stats.buckets[index].count += 1
        elif question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            stats.n += 1
            known = {b.value: b for b in stats.buckets}
            for value in row["value_choices"] or []:
                if value not in known:
                    known[value] = Bucket(value, value)
                    stats.buckets.append(known[value])
                known[value].count += 1
        elif question.type == QuestionType.TEXT and row["value_text"]:
            stats.n += 1
            if text_filter is None or text_filter(row):
                stats.texts.append(row["value_text"])
    result = sorted(by_key.values(), key=lambda s: order[s.key])
    for stats in result:
        stats.finish()
        stats.texts.sort(key=str.casefold)  # alphabetical: says nothing about who wrote first
    return result


def questions_for(rows: list[dict]) -> dict[int, Question]:
    return questions_by_id({row["question_id"] for row in rows})


def questions_by_id(ids: Iterable[int]) -> dict[int, Question]:
    """The questions of these ids (every cold dashboard reads them: compiled once per process
    and size of the list)."""
    return {q.pk: q for q in _QUESTIONS.instances(ids=sorted(ids))}


_QUESTIONS = PreparedForIds(lambda ids: Question.objects.filter(pk__in=ids))


def overall_means(rows: Iterable[dict], questions: dict[int, Question]) -> dict[int, float]:
    """Session id -> mean of the overall-quality item."""
    totals: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        if questions[row["question_id"]].key == "overall" and row["value_int"] is not None:
            totals[row["response__session_id"]].append(row["value_int"])
    return {sid: round(sum(v) / len(v), 2) for sid, v in totals.items()}
