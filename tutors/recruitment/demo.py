"""Demo recruitment: a published round, a round in ranking (the demo tutor accepted) and a
round taking applications, with scores, interview slots and decisions. Deterministic and
idempotent: each round is built once, keyed by its name."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from meded.roles import TUTORS_GROUP
from tutors.models import (
    Answer,
    Application,
    ApplicationStatus,
    InterviewBooking,
    InterviewScore,
    InterviewSlot,
    Question,
    RecruitmentRound,
    Review,
    RoundState,
    RubricCriterion,
)
from tutors.recruitment.services.recruitment import add_default_rubric

A = ApplicationStatus
MOTIVATIONS = [
    "Teaching is the best way to consolidate what I have learned.",
    "Near-peer teaching helped me a lot in first year and I want to give back.",
    "I want to become a clinical educator and need the experience.",
    "I enjoy explaining difficult topics simply.",
]
STRENGTHS = ["Cardiology", "Respiratory", "Anatomy", "Pharmacology", "Renal", "Neurology"]
AVAIL = [
    ["weekday_evenings", "online"],
    ["weekends", "in_person"],
    ["weekday_evenings", "weekends"],
]


def _anchor() -> datetime:
    today = timezone.localdate()
    return timezone.make_aware(datetime.combine(today, time(9, 0)))


def _round(name, term, state, apps_open, **kw) -> tuple[RecruitmentRound, bool]:
    d = timedelta(days=1)
    defaults = {
        "term": term,
        "state": state,
        "applications_open": apps_open,
        "applications_close": apps_open + kw.pop("apply_days", 20) * d,
        "interviews_open": apps_open + kw.pop("interviews_from", 21) * d,
        "interviews_close": apps_open + kw.pop("interviews_to", 38) * d,
        "ranking_opens": apps_open + kw.pop("ranking_from", 40) * d,
        "ranking_closes": apps_open + kw.pop("ranking_to", 52) * d,
        **kw,
    }
    round, created = RecruitmentRound.objects.get_or_create(name=name, defaults=defaults)
    if created:
        add_default_rubric(round)
        Question.objects.create(
            round=round, kind="file", label="CV (optional)", help_text="One or two pages."
        )
        Question.objects.create(
            round=round,
            kind="single_choice",
            label="Which teaching format do you prefer?",
            choices="Lecture\nSmall-group tutorial\nOSCE station",
            required=True,
        )
    return round, created


def _application(demo, round, user, status, submitted_at, **extra) -> Application:
    rng = demo.rng
    return Application(
        round=round,
        applicant=user,
        status=status,
        year_of_study=user.year_of_study,
        motivation=rng.choice(MOTIVATIONS),
        experience=rng.choice(["None yet", "Peer tutoring in year 2", "Anatomy demonstrator"]),
        strengths=", ".join(rng.sample(STRENGTHS, 2)),
        availability=rng.choice(AVAIL),
        submitted_at=submitted_at if status != A.DRAFT else None,
        **extra,
    )


def _scores(demo, round, apps, stage, reviewers, model, **extra):
    criteria = list(round.criteria.filter(stage=stage))
    weight = sum(c.weight for c in criteria)
    rows = []
    for app in apps:
        for reviewer in reviewers:
            scores = {str(c.pk): demo.rng.randint(2, 5) for c in criteria}
            total = round_2(sum(scores[str(c.pk)] * c.weight for c in criteria) / weight)
            who = {"reviewer": reviewer} if model is Review else {"interviewer": reviewer}
            rec = {"recommendation": "accept" if total >= 3.5 else "waiting_list"} if extra else {}
            rows.append(model(application=app, scores=scores, total=total, **who, **rec))
    model.objects.bulk_create(rows)


def round_2(x: float) -> float:
    return round(x, 2)


def _decided_round(demo, round, accepted, others, released_at):
    """A round past its decisions: accepted tutors plus some unsuccessful students."""
    apps = [
        _application(
            demo,
            round,
            u,
            A.ACCEPTED,
            round.applications_close - timedelta(days=3),
            decision="accept",
            decision_released_at=released_at,
        )
        for u in accepted
    ]
    for i, u in enumerate(others):
        status, decision = (
            (A.WAITING_LIST, "waiting_list") if i % 3 == 0 else (A.REJECTED, "reject")
        )
        apps.append(
            _application(
                demo,
                round,
                u,
                status,
                round.applications_close - timedelta(days=5),
                decision=decision,
                decision_released_at=released_at,
                feedback_note="" if status == A.WAITING_LIST else "Show more teaching experience.",
            )
        )
    Application.objects.bulk_create(apps)
    apps = list(round.applications.all())
    _scores(demo, round, apps, RubricCriterion.Stage.REVIEW, demo.committee[:2], Review)
    _scores(
        demo,
        round,
        apps[:20],
        RubricCriterion.Stage.INTERVIEW,
        demo.committee[:1],
        InterviewScore,
        recommendation=True,
    )


def seed(demo) -> None:
    anchor = _anchor()
    tutors = demo.tutors  # demo.tutor first
    seniors = [s for s in demo.students if s.year_of_study in ("4", "5", "6") and s != demo.student]

    past, created = _round(
        "2025/26 Term 2",
        "2025/26 T2",
        RoundState.PUBLISHED,
        anchor - timedelta(days=250),
        blind_review=True,
    )
    if created:
        _decided_round(demo, past, tutors[1:31], seniors[:12], past.interviews_close)

    current, created = _round(
        "2026/27 Term 1",
        "2026/27 T1",
        RoundState.RANKING,
        anchor - timedelta(days=45),
    )
    if created:
        _decided_round(demo, current, tutors, seniors[12:40], current.interviews_close)
        for i in range(6):
            slot = InterviewSlot.objects.create(
                round=current,
                starts_at=current.interviews_open + timedelta(days=i, hours=8),
                location="Medical School, Room 2.14",
                capacity=3,
            )
            slot.interviewers.set(demo.committee[:2])

    open_round, created = _round(
        "2026/27 Term 2",
        "2026/27 T2",
        RoundState.APPLICATIONS_OPEN,
        anchor - timedelta(days=10),
        interviews_from=10,  # interviews run alongside late applications, from today
    )
    if created:
        _open_round(demo, open_round, seniors[40:] + demo.students[1:100], anchor)

    group = Group.objects.get_or_create(name=TUTORS_GROUP)[0]
    group.user_set.add(*[a.applicant for a in current.applications.filter(status=A.ACCEPTED)])


def _open_round(demo, round, applicants, anchor):
    """About 150 applications in every stage before release, for the committee to try."""
    rng = demo.rng
    apps = []
    for i, user in enumerate(applicants[:150]):
        if i < 10:
            status = A.DRAFT
        elif i < 40:
            status = A.SHORTLISTED
        elif i < 55:
            status = A.INTERVIEW_BOOKED
        elif i < 60:
            status = A.WITHDRAWN
        else:
            status = A.SUBMITTED
        submitted = anchor - timedelta(days=rng.randint(1, 9), minutes=rng.randint(0, 600))
        apps.append(_application(demo, round, user, status, submitted))
    Application.objects.bulk_create(apps)
    saved = list(round.applications.order_by("pk"))
    submitted = [a for a in saved if a.status not in (A.DRAFT, A.WITHDRAWN)]
    _scores(demo, round, submitted[:80], RubricCriterion.Stage.REVIEW, demo.committee[1:3], Review)
    slots = []
    for day in range(0, 8):  # from today: the committee's home shows today's interviews
        for hour in (17, 18):
            slots.append(
                InterviewSlot(
                    round=round,
                    starts_at=anchor + timedelta(days=day, hours=hour - 9),
                    duration_minutes=20,
                    location="" if hour == 18 else "Medical School, Room 1.05",
                    online_url="https://meet.example.org/tutor-interviews" if hour == 18 else "",
                    capacity=2,
                )
            )
    InterviewSlot.objects.bulk_create(slots)
    slots = list(round.interview_slots.order_by("starts_at"))
    for s in slots:
        s.interviewers.set(demo.committee[:2])
    booked = [a for a in saved if a.status == A.INTERVIEW_BOOKED]
    InterviewBooking.objects.bulk_create(
        InterviewBooking(slot=slots[i // 2], application=a) for i, a in enumerate(booked)
    )
    _cvs(round, sorted(submitted, key=lambda a: a.submitted_at, reverse=True)[:3])
    # a few decisions recorded but not yet released
    for a in booked[:4]:
        a.decision = "accept"
        a.decided_by = demo.chair
        a.save(update_fields=["decision", "decided_by"])


# A one-page PDF, enough for a reviewer to open (the demo's CVs).
DEMO_CV = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _cvs(round, apps) -> None:
    """A CV on a few applications, so the committee sees a private file download."""
    question = round.questions.get(kind="file")
    for app in apps:
        answer = Answer(application=app, question=question, file_name="CV.pdf")
        answer.file.save("cv.pdf", ContentFile(DEMO_CV), save=False)
        answer.save()
