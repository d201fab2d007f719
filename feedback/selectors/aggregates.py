"""Feedback figures aggregated in the database: counts per (question, value), means per session,
audiences per session. A page's cost then follows the number of questions and sessions it shows,
never the number of answers behind them.

These read only what the caller has already passed through feedback.disclosure (released
sessions, breakdown-safe sessions); they decide nothing about what may be shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from feedback.models import Answer, QuestionType
from meded.prepared import PreparedForIds
from sessions_app.models import Booking, TeachingSession
from sessions_app.resources import selectors as resources

from .eligibility import ATTENDED
from .stats import Bucket, QuestionStats, new_stats, questions_by_id

CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTIPLE)
NUMERIC_TYPES = (QuestionType.LIKERT, QuestionType.RATING)


def question_stats(answers: QuerySet[Answer], *, texts: Q | None = None) -> list[QuestionStats]:
    """Per-question statistics grouped by question key (forms of different rounds share keys), in
    question order: the same figures as stats.summarise, counted by GROUP BY.

    `texts` selects the free-text answers that are listed (e.g. approved only); None lists all.
    """
    answers = answers.order_by()

    def listed() -> Iterable[tuple[int, str]]:
        return listed_texts(answers if texts is None else answers.filter(texts))

    return stats_from(
        list(numeric_counts(answers)),
        list(choice_counts(answers)),
        list(text_counts(answers)),
        listed,
    )


def numeric_counts(answers: QuerySet[Answer]) -> QuerySet:
    """(question, value, how many) of the Likert and rating answers."""
    numeric = answers.filter(value_int__isnull=False, question__type__in=NUMERIC_TYPES)
    return numeric.values_list("question_id", "value_int").annotate(n=Count("id"))


def choice_counts(answers: QuerySet[Answer]) -> QuerySet:
    """(question, values chosen, how many) of the choice answers."""
    choices = answers.filter(question__type__in=CHOICE_TYPES)
    return choices.values_list("question_id", "value_choices").annotate(n=Count("id"))


def _written(answers: QuerySet[Answer]) -> QuerySet[Answer]:
    return answers.filter(question__type=QuestionType.TEXT).exclude(value_text="")


def text_counts(answers: QuerySet[Answer]) -> QuerySet:
    """(question, how many) of the free-text answers written."""
    return _written(answers).values_list("question_id").annotate(n=Count("id"))


def listed_texts(answers: QuerySet[Answer]) -> QuerySet:
    """(question, text) of the free-text answers written."""
    return _written(answers).values_list("question_id", "value_text")


def stats_from(
    numeric: list[tuple],
    choices: list[tuple],
    text_counts: list[tuple],
    listed: Callable[[], Iterable[tuple[int, str]]],
) -> list[QuestionStats]:
    """`question_stats` from its counts; `listed()`: the texts to list, read only if needed."""
    ids = {row[0] for row in numeric + choices + text_counts}
    questions = questions_by_id(ids)
    by_key: dict[str, QuestionStats] = {}
    order: dict[str, tuple] = {}

    def stats_for(question_id: int) -> QuestionStats:
        question = questions[question_id]
        if question.key not in by_key:
            by_key[question.key] = new_stats(question)
            order[question.key] = (question.order, question.key)
        return by_key[question.key]

    for qid, value, n in numeric:
        stats, scale = stats_for(qid), questions[qid].scale
        if value in scale:
            stats.n += n
            stats.total += value * n
            stats.sum_squares += value * value * n
            stats.buckets[scale.index(value)].count += n
    for qid, values, n in choices:
        stats = stats_for(qid)
        stats.n += n
        known = {b.value: b for b in stats.buckets}
        for value in values or []:
            if value not in known:
                known[value] = Bucket(value, value)
                stats.buckets.append(known[value])
            known[value].count += n
    for qid, n in text_counts:
        stats_for(qid).n += n
    if any(s.is_text for s in by_key.values()):
        for qid, text in listed():
            stats_for(qid).texts.append(text)
    result = sorted(by_key.values(), key=lambda s: order[s.key])
    for stats in result:
        stats.finish()
        stats.texts.sort(key=str.casefold)  # alphabetical: says nothing about who wrote first
    return result


def overall_means(session_ids: list[int]) -> dict[int, float]:
    """Session id -> mean of the overall-quality item, averaged by the database."""
    rows = _OVERALL_MEANS.rows(ids=list(session_ids))
    return {sid: round(float(mean), 2) for sid, mean in rows}


# Every cold dashboard and portfolio asks: compiled once per process and size.
_OVERALL_MEANS = PreparedForIds(
    lambda ids: (
        Answer.objects.filter(
            response__session_id__in=ids, question__key="overall", value_int__isnull=False
        )
        .order_by()
        .values_list("response__session_id")
        .annotate(mean=Avg("value_int"))
    )
)


def audience_counts(session_ids: list[int]) -> dict[int, int]:
    """Who could answer: attendees (confirmed and marked as attending) plus recording viewers who
    did not also attend, each member counted once per session; one query, a row per session.

    Bookings are written all day long at the start of term, so a page remembers its figures
    without these (`dashboards.session_results(rates=False)`) and counts them afresh per visit,
    keying its remembered HTML by them (`audience_key`): anyone's booking leaves it be. Counted
    on every visit, the query is compiled once per process and size (`AUDIENCE`)."""
    ids = list(session_ids)
    if not ids:
        return {}
    rows = AUDIENCE.rows(ids=ids)
    result = dict.fromkeys(ids, 0)
    result.update({pk: live + watched for pk, live, watched in rows})
    return result


def _audience_query(session_ids: list[int]) -> QuerySet:
    attendees = (
        Booking.objects.filter(session_id=OuterRef("pk"), **ATTENDED)
        .order_by()
        .values("session_id")
        .annotate(n=Count("student_id", distinct=True))
        .values("n")
    )
    attended = Booking.objects.filter(
        session_id=OuterRef("resource__session_id"), student_id=OuterRef("user_id"), **ATTENDED
    )
    viewers = (
        resources.watched_playbacks()
        .filter(resource__session_id=OuterRef("pk"))
        .exclude(Exists(attended))
        .order_by()
        .values("resource__session_id")
        .annotate(n=Count("user_id", distinct=True))
        .values("n")
    )
    return (
        TeachingSession.objects.filter(pk__in=session_ids)
        .order_by()
        .annotate(live=Coalesce(Subquery(attendees), 0), watched=Coalesce(Subquery(viewers), 0))
        .values_list("pk", "live", "watched")
    )


# The ORM compiles the nested subqueries in about as long as the database takes to run them.
AUDIENCE = PreparedForIds(_audience_query)


def audience_key(audience: dict[int, int]) -> tuple:
    """Audience counts as a remembered value's `parts`: a change of any count is a new entry."""
    return tuple(sorted(audience.items()))
