"""Demo question bank and mock exams, every state reached through the services: tutors write,
a reviewer (the committee, a tutor marked as reviewer) approves, returns or rejects; a past mock
exam with attempts and released results, and an upcoming one. A `seed_demo` receiver, after the
sessions and their bookings; idempotent (skips when the bank has questions)."""

from __future__ import annotations

import csv
import random
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from meded.curriculum.models import Module, Topic
from sessions_app.booking import services as booking
from sessions_app.booking.models import Booking
from sessions_app.errors import SessionError
from sessions_app.scheduling.models import TeachingSession

from . import bank, exams, importing, osce, practice
from .errors import QuestionError
from .models import Question

SEED = 1515


DEMO_CSV = Path(__file__).with_name("demo_questions.csv")


def _import(writers) -> list[Question]:
    """The demo bank is a CSV in the import format, brought in by the import service itself
    (as a society with an existing bank would), a share of the rows per writing tutor; each
    comes in awaiting review. Rows whose topic the demo curriculum lacks are left out."""
    known = set(Topic.objects.values_list("code", flat=True))
    with DEMO_CSV.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["topic_code"] in known]
    for n, writer in enumerate(writers):
        share = [[r[c] for c in importing.HEADER] for r in rows[n :: len(writers)]]
        if share:
            importing.import_questions(importing.csv_text(importing.HEADER, share), writer)
    return list(Question.objects.select_related("author").order_by("pk"))


def _bank(demo, rng) -> list[Question]:
    chair = demo.chair
    reviewer_tutor = demo.tutors[1]
    bank.set_reviewer(chair, reviewer_tutor, True)
    published = []
    for i, question in enumerate(_import([demo.tutor, *demo.tutors[2:8]])):
        if i % 25 == 23:  # still waiting for a reviewer
            continue
        if i % 25 == 22:
            bank.review_question(
                chair, question, "return", "Option C and D overlap; make the distractors distinct."
            )
            continue
        author = question.author
        reviewer = reviewer_tutor if i % 3 == 0 and author != reviewer_tutor else chair
        bank.review_question(reviewer, question, "approve")
        published.append(question)
    published = list(Question.objects.filter(pk__in=[q.pk for q in published]).order_by("pk"))
    # A tutor's private draft, typed in the browser rather than imported.
    topic = published[0].latest_version.topics.first()
    bank.create_question(
        demo.tutor,
        bank.QuestionContent(
            stem="Which cranial nerve carries taste from the anterior two-thirds of the tongue?",
            options=["Trigeminal", "Facial", "Glossopharyngeal", "Vagus", "Hypoglossal"],
            answer="B",
            explanation="The chorda tympani, a branch of the facial nerve, carries that taste.",
            topics=[topic],
            reference="Society anatomy notes.",
        ),
    )
    # One published question edited (back in review), one flagged by a student.
    edited = published[3]
    v = edited.latest_version
    content = bank.QuestionContent(
        stem=v.stem + " (Choose the single best answer.)",
        options=[text for _, text in v.options],
        answer=v.answer,
        explanation=v.explanation + " See also the society's revision notes.",
        topics=list(v.topics.all()),
        year=v.year,
        reference=v.reference,
    )
    bank.edit_question(edited.author, edited, content)
    bank.flag_question(
        demo.student, published[5], "unclear", "Two options look right to me; the stem is vague."
    )
    return published


def _book(session, students) -> list:
    booked = []
    for student in students:
        try:
            booking.book(student, session, now=session.starts_at - timedelta(days=2))
        except SessionError:
            continue
    for b in Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED):
        booked.append(b.student)
    return booked


def _past_exam(demo, rng, published, now) -> None:
    session = (
        TeachingSession.objects.filter(
            kind=TeachingSession.Kind.MOCK_EXAM,
            status=TeachingSession.Status.PUBLISHED,
            ends_at__lt=now - timedelta(days=1),
        )
        .order_by("-starts_at")
        .first()
    )
    if session is None:
        return
    paper = exams.create_paper(
        demo.chair,
        title=f"Mock SBA paper: {session.starts_at:%B %Y}",
        session=session,
        time_limit_minutes=60,
    )
    exams.add_questions(demo.chair, paper, [q.pk for q in published[:30]])
    items = list(paper.items.select_related("version"))
    year_students = [s for s in demo.students if s.year_of_study in ("3", "4")]
    _book(session, year_students[:40])
    students = list(
        Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).select_related(
            "student"
        )
    )
    difficulty = {item.pk: rng.uniform(-1.5, 1.5) for item in items}
    for n, b in enumerate(students):
        ability = rng.gauss(0.3, 1.0)
        start = session.starts_at + timedelta(minutes=rng.randint(0, 5))
        exams.start_attempt(b.student, paper, now=start)
        for k, item in enumerate(items):
            if rng.random() < 0.05:
                continue  # left blank
            p_right = 1 / (1 + pow(2.718, difficulty[item.pk] - ability))
            if rng.random() < p_right:
                choice = item.version.answer
            else:
                choice = rng.choice([x for x in "ABCDE" if x != item.version.answer])
            exams.save_answer(
                b.student, paper, item.pk, choice, now=start + timedelta(seconds=60 + k * 90)
            )
        if n % 7 != 6:  # the others ran out of time and were submitted for them
            exams.submit(b.student, paper, now=start + timedelta(minutes=50))
    exams.release_results(demo.chair, paper, now=now)


def _upcoming_exam(demo, published, now) -> None:
    session = (
        TeachingSession.objects.filter(
            kind=TeachingSession.Kind.MOCK_EXAM,
            status=TeachingSession.Status.PUBLISHED,
            starts_at__gt=now + timedelta(days=1),
        )
        .order_by("starts_at")
        .first()
    )
    if session is None:
        return
    paper = exams.create_paper(
        demo.chair,
        title=f"Mock SBA paper: {session.starts_at:%-d %B}",
        session=session,
        time_limit_minutes=45,
    )
    modules = Module.objects.filter(
        topics__question_versions__question__in=published[30:]
    ).distinct()[:4]
    exams.draw_blueprint(demo.chair, paper, {m: 1 for m in modules}, seed=SEED)
    exams.add_questions(demo.chair, paper, [q.pk for q in published[40:52]])
    _book(session, [demo.student])


OSCE_CHECKLIST = [  # (what the candidate does, marks)
    ("Introduces self, confirms the patient's identity and gains consent", 1),
    ("Washes hands and exposes the patient appropriately", 1),
    ("Inspects from the end of the bed", 1),
    ("Palpates radial pulses for rate, rhythm and radio-radial delay", 2),
    ("Locates the apex beat and feels for heaves and thrills", 2),
    ("Auscultates the four valve areas with the diaphragm and bell", 3),
    ("Listens to the lung bases and checks for peripheral oedema", 2),
    ("Summarises findings and suggests further investigations", 2),
]


def _osce(demo, rng, now) -> None:
    """A past cardiovascular station, marked and released; an upcoming one to mark."""
    sessions = TeachingSession.objects.filter(
        kind=TeachingSession.Kind.CLINICAL_SKILLS, status=TeachingSession.Status.PUBLISHED
    )
    past = sessions.filter(ends_at__lt=now).order_by("-starts_at").first()
    upcoming = sessions.filter(starts_at__gt=now).order_by("starts_at").first()
    for session, released in ((past, True), (upcoming, False)):
        if session is None:
            continue
        station = osce.save_station(
            demo.chair,
            title="Cardiovascular examination",
            scenario="Mr Patel, 64, is breathless on exertion. Examine his cardiovascular "
            "system and present your findings.",
            session=session,
            items=[osce.ChecklistItem(text, marks) for text, marks in OSCE_CHECKLIST],
        )
        if not released:
            continue
        examiner = session.tutors.first() or demo.chair
        items = list(station.items.all())
        for candidate in osce.candidates(station):
            ticked = [i.pk for i in items if rng.random() < 0.75]
            osce.mark(
                examiner,
                station,
                candidate,
                ticked,
                rng.randint(2, 5),
                "Good rapport; remember to check for radio-femoral delay.",
            )
        osce.release(demo.chair, station)


def seed_questions(demo, **signal_kwargs) -> None:
    if Question.objects.exists() or demo.chair is None or len(demo.tutors) < 8:
        return
    rng = random.Random(SEED)
    now = timezone.now()
    published = _bank(demo, rng)
    _past_exam(demo, rng, published, now)
    _upcoming_exam(demo, published, now)
    _osce(demo, rng, now)
    # The demo student has practised a little.
    for _ in range(2):
        try:
            practice_set = practice.start_practice(demo.student, my_year=True, count=5)
        except QuestionError:  # a demo without questions for the year skips this
            break
        for item in practice_set.items.select_related("version"):
            letter = item.version.answer if rng.random() < 0.6 else "A"
            practice.answer(demo.student, practice_set, item.position, letter)
