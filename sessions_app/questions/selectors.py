"""Reads for the question pages, each written once with its joins (no N+1 on list pages)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from sessions_app.booking.models import Booking

from . import statistics
from .models import (
    ExamAnswer,
    ExamAttempt,
    ExamPaper,
    OsceSheet,
    OsceStation,
    PaperItem,
    PracticeAnswer,
    Question,
    QuestionFlag,
    QuestionVersion,
)

VERSION_JOINS = ("latest_version__year", "live_version", "author")


def with_versions(qs: QuerySet[Question]) -> QuerySet[Question]:
    return qs.select_related(*VERSION_JOINS).prefetch_related(
        Prefetch("latest_version__topics"),
    )


def my_questions(user) -> QuerySet[Question]:
    return (
        with_versions(Question.objects.filter(author=user))
        .annotate(open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True)))
        .order_by("-updated", "-pk")
    )


def review_queue(reviewer) -> QuerySet[Question]:
    """Questions awaiting review that the reviewer did not write, oldest first."""
    return with_versions(
        Question.objects.filter(status=Question.Status.IN_REVIEW).exclude(author=reviewer)
    ).order_by("updated", "pk")


def open_flags(reviewer) -> QuerySet[QuestionFlag]:
    return (
        QuestionFlag.objects.filter(resolved_at__isnull=True)
        .exclude(question__author=reviewer)
        .select_related("question", "version", "raised_by")
    )


def bank(status: str = "", module_id: int | None = None) -> QuerySet[Question]:
    """The committee's view of the bank: everything but other people's private drafts."""
    qs = Question.objects.exclude(status=Question.Status.DRAFT, live_version__isnull=True)
    if status:
        qs = qs.filter(status=status)
    if module_id:
        qs = qs.filter(latest_version__topics__module_id=module_id).distinct()
    return (
        with_versions(qs)
        .annotate(
            open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True), distinct=True)
        )
        .order_by("-updated", "-pk")
    )


def question_page(pk: int) -> Question:
    return (
        Question.objects.select_related("author", "latest_version__year", "live_version")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=QuestionVersion.objects.select_related("year").prefetch_related("topics"),
            ),
            Prefetch("reviews", queryset=_reviews()),
            Prefetch("flags", queryset=QuestionFlag.objects.select_related("raised_by")),
        )
        .get(pk=pk)
    )


def _reviews():
    from .models import Review

    return Review.objects.select_related("reviewer", "version")


def progress_by_topic(student) -> list[dict]:
    """Per topic: answered, correct, and the trend (the last five answers against the rest)."""
    rows = (
        PracticeAnswer.objects.filter(practice_set__student=student, answered_at__isnull=False)
        .order_by("answered_at", "pk")
        .values_list(
            "correct",
            "version__topics__code",
            "version__topics__title",
            "version__topics__module__name",
        )
    )
    by_topic: dict[str, dict] = {}
    history: dict[str, list[bool]] = defaultdict(list)
    for correct, code, title, module in rows:
        if code is None:
            continue
        entry = by_topic.setdefault(code, {"code": code, "title": title, "module": module})
        history[code].append(bool(correct))
    result = []
    for code, entry in by_topic.items():
        answers = history[code]
        recent, earlier = answers[-5:], answers[:-5]
        entry["answered"] = len(answers)
        entry["correct"] = sum(answers)
        entry["percent"] = round(100 * sum(answers) / len(answers))
        if earlier:
            delta = sum(recent) / len(recent) - sum(earlier) / len(earlier)
            entry["trend"] = "improving" if delta > 0.1 else "falling" if delta < -0.1 else "steady"
        else:
            entry["trend"] = "too early to tell"
        result.append(entry)
    return sorted(result, key=lambda e: (e["module"], e["code"]))


def papers() -> QuerySet[ExamPaper]:
    return ExamPaper.objects.select_related("session").annotate(
        n_items=Count("items", distinct=True), n_attempts=Count("attempts", distinct=True)
    )


def my_exams(student, *, current_only: bool = False, limit: int | None = None) -> list[dict]:
    """Papers on mock exams the student booked, with their attempt, soonest first; with
    `current_only`, only those open, coming or with results released (the home page's)."""
    booked = Booking.objects.filter(student=student, status=Booking.Status.CONFIRMED).values(
        "session_id"
    )
    now = timezone.now()
    papers = ExamPaper.objects.filter(session_id__in=booked)
    if current_only:
        papers = papers.filter(Q(session__ends_at__gt=now) | Q(results_released_at__isnull=False))
    qs = (
        papers.select_related("session")
        .prefetch_related(
            Prefetch("attempts", queryset=ExamAttempt.objects.filter(student=student))
        )
        .order_by("session__starts_at")
    )
    return [
        {
            "paper": p,
            "attempt": next(iter(p.attempts.all()), None),
            "open": p.session.starts_at <= now < p.session.ends_at,
            "upcoming": now < p.session.starts_at,
        }
        for p in (qs[:limit] if limit else qs)
    ]


def paper_items(paper: ExamPaper) -> list[PaperItem]:
    return list(
        paper.items.select_related("version__question", "version__year").prefetch_related(
            "version__topics__module"
        )
    )


def responses(paper: ExamPaper, items: list[PaperItem]):
    """(attempts, responses[c][i]) for every submitted attempt, in item order."""
    attempts = list(
        paper.attempts.filter(submitted_at__isnull=False).select_related("student").order_by("pk")
    )
    index = {item.pk: i for i, item in enumerate(items)}
    by_attempt: dict[int, list] = {a.pk: [None] * len(items) for a in attempts}
    for attempt_id, item_id, chosen in ExamAnswer.objects.filter(
        attempt__in=[a.pk for a in attempts]
    ).values_list("attempt_id", "item_id", "chosen"):
        if item_id in index:
            by_attempt[attempt_id][index[item_id]] = chosen
    return attempts, [by_attempt[a.pk] for a in attempts]


def paper_statistics(paper: ExamPaper) -> dict:
    items = paper_items(paper)
    attempts, answers = responses(paper, items)
    stats = statistics.item_statistics([i.version.answer for i in items], answers)
    scores = [a.score or 0 for a in attempts]
    return {
        "rows": list(zip(items, stats, strict=False)),
        "n": len(attempts),
        "mean": (sum(scores) / len(scores)) if scores else None,
        "distribution": statistics.distribution(scores, len(items)),
        "out_of": len(items),
    }


def student_result(paper: ExamPaper, attempt: ExamAttempt) -> dict:
    """Only for a released paper: their answers beside the key and the explanations."""
    assert paper.released, "results are shown only once released"
    items = paper_items(paper)
    chosen = dict(attempt.answers.values_list("item_id", "chosen"))
    scores = list(paper.attempts.filter(submitted_at__isnull=False).values_list("score", flat=True))
    return {
        "items": [(item, chosen.get(item.pk)) for item in items],
        "score": attempt.score or 0,
        "out_of": len(items),
        "distribution": statistics.distribution([s or 0 for s in scores], len(items)),
        "n": len(scores),
    }


# -- mock OSCE ---------------------------------------------------------------------------------


def osce_stations() -> QuerySet[OsceStation]:
    return (
        OsceStation.objects.select_related("session")
        .annotate(n_items=Count("items", distinct=True), n_sheets=Count("sheets", distinct=True))
        .order_by("-session__starts_at", "title", "pk")
    )


def _sheets_with_marks(sheets: QuerySet[OsceSheet]) -> list[OsceSheet]:
    """Each sheet with .score and .out_of (checklist marks) and .rating_label, in two queries
    beside the sheets' own."""
    rows = list(
        sheets.select_related("station__session", "candidate", "examiner").prefetch_related(
            "station__items", "ticked"
        )
    )
    for sheet in rows:
        items = list(sheet.station.items.all())
        ticked = {item.pk for item in sheet.ticked.all()}
        sheet.out_of = sum(item.marks for item in items)
        sheet.score = sum(item.marks for item in items if item.pk in ticked)
        sheet.checklist = [(item, item.pk in ticked) for item in items]
        sheet.n_done = len(ticked)
        scale = sheet.station.rating_scale
        sheet.rating_label = (
            scale[sheet.global_rating - 1] if 0 < sheet.global_rating <= len(scale) else ""
        )
    return rows


def released_osce_sheets(candidate) -> list[OsceSheet]:
    return _sheets_with_marks(
        OsceSheet.objects.filter(candidate=candidate, station__released_at__isnull=False).order_by(
            "-station__session__starts_at", "station__title"
        )
    )


OSCE_MARKS_HEADER = [
    "station",
    "candidate",
    "candidate_email",
    "examiner",
    "marks",
    "out_of",
    "items_done",
    "items_not_done",
    "global_rating",
    "rating_label",
    "comments",
    "marked_at",
]


def osce_marks_rows(session) -> list[list]:
    """A row per candidate and station of one session: what the examiner gave, item by item."""
    rows = []
    sheets = OsceSheet.objects.filter(station__session=session).order_by(
        "station__title", "station__pk", "candidate__full_name", "candidate__pk"
    )
    for sheet in _sheets_with_marks(sheets):
        rows.append(
            [
                sheet.station.title,
                sheet.candidate.get_full_name(),
                sheet.candidate.email,
                sheet.examiner.get_full_name() if sheet.examiner else "",
                sheet.score,
                sheet.out_of,
                "; ".join(item.text for item, done in sheet.checklist if done),
                "; ".join(item.text for item, done in sheet.checklist if not done),
                sheet.global_rating,
                sheet.rating_label,
                sheet.comments,
                timezone.localtime(sheet.marked_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return rows
