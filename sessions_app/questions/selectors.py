"""Reads for the question pages, each written once with its joins (no N+1 on list pages)."""

from __future__ import annotations

from collections import defaultdict

from django.core.paginator import Page
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from meded.prepared import Prepared, PreparedForIds, PreparedPages
from meded.remember import remember
from sessions_app.booking.fingerprint import member_bookings
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

RECENT = 5  # answers that make the trend of a topic
VERSION_JOINS = ("latest_version__year", "live_version", "author")


def with_versions(qs: QuerySet[Question]) -> QuerySet[Question]:
    return qs.select_related(*VERSION_JOINS).prefetch_related(
        Prefetch("latest_version__topics"),
    )


MINE_PAGE_SIZE = 25
# A writer's list, newest change first: what a line prints of each question and its latest
# version, a page at a time, compiled once per process (the list is computed again after any
# write to the bank); the versions' topic codes in a second read.
_MINE = PreparedPages(
    lambda author_pk: (
        Question.objects.filter(author_id=author_pk)
        .annotate(open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True)))
        .order_by("-updated", "-pk")
        .values_list(
            "pk",
            "status",
            "open_flags",
            "latest_version_id",
            "latest_version__number",
            "latest_version__stem",
        )
    ),
    1,
    MINE_PAGE_SIZE,
)
_VERSION_TOPICS = PreparedForIds(
    lambda ids: (
        QuestionVersion.topics.through.objects.filter(questionversion_id__in=ids)
        .order_by("questionversion_id", "topic__module__name", "topic__code")
        .values_list("questionversion_id", "topic__code")
    )
)


def my_questions_page(user, number) -> Page:
    """Page `number` of the questions `user` wrote: each a `Question` carrying its open flags,
    and its latest version's stem, number and topic codes."""
    page = _MINE.page(number, user.pk)
    codes: dict[int, list[str]] = defaultdict(list)
    for version_id, code in _VERSION_TOPICS.rows(ids=[row[3] for row in page.object_list]):
        codes[version_id].append(code)
    questions = []
    for pk, status, flags, version_id, number_, stem in page.object_list:
        question = Question(pk=pk, status=status, latest_version_id=version_id)
        question.open_flags, question.stem, question.version_number = flags, stem, number_
        question.topic_codes = codes.get(version_id, [])
        questions.append(question)
    page.object_list = questions
    return page


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
    """Per topic: answered, correct, and the trend (the last five answers against the rest).

    Counted in SQL, and only the last five answers of each topic are read, so the cost does
    not grow with the student's history; remembered until they answer again."""
    return remember("questions.progress", (student.pk,), lambda: _progress(student))


def _answers(student_pk: int) -> QuerySet[PracticeAnswer]:
    return PracticeAnswer.objects.filter(
        practice_set__student_id=student_pk, answered_at__isnull=False
    )


_TOPIC = "version__topics__code"
# Every cold visit of the questions hub and the progress page counts these: compiled once.
_TOTALS = Prepared(
    lambda student_pk: (
        _answers(student_pk)
        .values_list(F(_TOPIC), F("version__topics__title"), F("version__topics__module__name"))
        .annotate(answered=Count("pk"), correct=Count("pk", filter=Q(correct=True)))
        .order_by()
    ),
    1,
)
_LAST_FIVE = Prepared(
    lambda student_pk: (
        _answers(student_pk)
        .annotate(
            code=F(_TOPIC),
            rank=Window(
                RowNumber(),
                partition_by=[F(_TOPIC)],
                order_by=[F("answered_at").desc(), F("pk").desc()],
            ),
        )
        .filter(rank__lte=RECENT)
        .values_list("code", "correct")
    ),
    1,
)


def _progress(student) -> list[dict]:
    totals = [
        {"code": code, "title": title, "module": module, "answered": n, "correct": right}
        for code, title, module, n, right in _TOTALS.rows(student.pk)
    ]
    recent: dict[str, list[bool]] = defaultdict(list)
    for code, correct in _LAST_FIVE.rows(student.pk):
        recent[code].append(bool(correct))
    result = []
    for entry in totals:
        if entry["code"] is None:
            continue
        answered, correct, last = entry["answered"], entry["correct"], recent[entry["code"]]
        entry["percent"] = round(100 * correct / answered)
        earlier = answered - len(last)
        if earlier:
            delta = sum(last) / len(last) - (correct - sum(last)) / earlier
            entry["trend"] = "improving" if delta > 0.1 else "falling" if delta < -0.1 else "steady"
        else:
            entry["trend"] = "too early to tell"
        result.append(entry)
    return sorted(result, key=lambda e: (e["module"], e["code"]))


def hub_summary(user, *, reviewer: bool) -> dict:
    """What the questions hub shows a member: counts and short lists only, remembered until
    one of the tables behind them is written. `reviewer` comes from the request's roles; the
    bookings read are the member's own (the exams they booked), hence the `Cover`."""

    def compute() -> dict:
        summary = {
            "n_exams": _BOOKED_PAPERS.count(user.pk),
            "progress": progress_by_topic(user)[:8],
            "examining": [
                {"pk": pk, "title": title, "session": {"starts_at": starts}}
                for pk, title, starts in _EXAMINING.converted_rows(user.pk)
            ],
        }
        if reviewer:
            summary["n_review"] = review_queue(user).count()
            summary["n_flags"] = open_flags(user).count()
        return summary

    return remember("questions.hub", (user.pk, reviewer), compute, cover=member_bookings(user))


_BOOKED_PAPERS = Prepared(lambda pk: ExamPaper.objects.filter(session_id__in=_booked(pk)), 1)
_EXAMINING = Prepared(
    lambda user_pk: (
        OsceStation.objects.filter(session__tutors=user_pk, released_at__isnull=True)
        .order_by("session__starts_at")
        .values_list("pk", "title", "session__starts_at")[:10]
    ),
    1,
)


def _booked(student) -> QuerySet:
    """The sessions the student (or a student's id) holds a confirmed place on."""
    return Booking.objects.filter(student=student, status=Booking.Status.CONFIRMED).values(
        "session_id"
    )


def papers() -> QuerySet[ExamPaper]:
    return (
        ExamPaper.objects.select_related("session")
        .annotate(
            n_items=Count("items", distinct=True), n_attempts=Count("attempts", distinct=True)
        )
        .order_by("-created", "-pk")
    )


def my_exam_papers(student) -> QuerySet[ExamPaper]:
    """Papers on mock exams the student booked, with their attempt prefetched."""
    return (
        ExamPaper.objects.filter(session_id__in=_booked(student))
        .select_related("session")
        .prefetch_related(
            Prefetch("attempts", queryset=ExamAttempt.objects.filter(student=student))
        )
    )


def exam_rows(papers, now=None) -> list[dict]:
    """Each paper (from `my_exam_papers`) with the student's attempt and where it stands now."""
    now = now or timezone.now()
    return [
        _exam_row(
            p, next(iter(p.attempts.all()), None), p.session.starts_at, p.session.ends_at, now
        )
        for p in papers
    ]


def _exam_row(paper, attempt, starts_at, ends_at, now) -> dict:
    return {
        "paper": paper,
        "attempt": attempt,
        "starts_at": starts_at,
        "open": starts_at <= now < ends_at,
        "upcoming": now < starts_at,
    }


HOME_EXAMS = 3


def exams_for_home(student) -> list[dict]:
    """The booked papers worth a line on the home page (open now, coming, or with results
    released), soonest first; chosen in SQL, so a long history costs nothing here, by one read
    compiled once per process (every cold visit of the home page)."""
    now = timezone.now()
    rows = []
    for p in _HOME_PAPERS.instances(student.pk, now):
        attempt = None
        if p.attempt_id is not None:
            attempt = ExamAttempt(pk=p.attempt_id, paper_id=p.pk, submitted_at=p.attempt_submitted)
        rows.append(_exam_row(p, attempt, p.session_starts, p.session_ends, now))
    return rows


def _home_papers(student_pk: int, now) -> QuerySet[ExamPaper]:
    attempt = ExamAttempt.objects.filter(paper_id=OuterRef("pk"), student_id=student_pk)
    return (
        ExamPaper.objects.filter(session_id__in=_booked(student_pk))
        .filter(Q(session__ends_at__gt=now) | Q(results_released_at__isnull=False))
        .annotate(
            session_starts=F("session__starts_at"),
            session_ends=F("session__ends_at"),
            attempt_id=Subquery(attempt.values("pk")[:1]),
            attempt_submitted=Subquery(attempt.values("submitted_at")[:1]),
        )
        .only("id", "title", "session", "results_released_at")
        .order_by("session__starts_at", "pk")[:HOME_EXAMS]
    )


_HOME_PAPERS = Prepared(_home_papers, 2)


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


def sheets_with_marks(sheets) -> list[OsceSheet]:
    """Each sheet (from `_sheets`) with .score and .out_of (checklist marks) and .rating_label."""
    rows = list(sheets)
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


def _sheets(sheets: QuerySet[OsceSheet]) -> QuerySet[OsceSheet]:
    """The joins `sheets_with_marks` reads, in two queries beside the sheets' own."""
    return sheets.select_related("station__session", "candidate", "examiner").prefetch_related(
        "station__items", "ticked"
    )


def released_osce_sheet_rows(candidate) -> QuerySet[OsceSheet]:
    """A candidate's released sheets, newest session first (mark them up a page at a time)."""
    return _sheets(
        OsceSheet.objects.filter(candidate=candidate, station__released_at__isnull=False).order_by(
            "-station__session__starts_at", "station__title", "pk"
        )
    )


def released_osce_sheets(candidate) -> list[OsceSheet]:
    return sheets_with_marks(released_osce_sheet_rows(candidate))


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
    for sheet in sheets_with_marks(_sheets(sheets)):
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
