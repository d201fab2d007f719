"""Demo mentoring: a mentoring scheme matched and introduced, and a buddy scheme taking sign-ups.
Through the services; idempotent (each scheme is built once, keyed by its name)."""

from __future__ import annotations

from meded.notifications import mailings

from .models import MENTORING_TOPICS, MentoringScheme, SchemeKind
from .services import ask_for_mentor, create_scheme, offer_to_mentor, run_matching

TOPICS = [key for key, _ in MENTORING_TOPICS]


def seed_mentoring(demo) -> None:
    if MentoringScheme.objects.filter(name="Mentoring 2026/27").exists():
        return
    rng, chair = demo.rng, demo.chair or demo.committee[0]
    seniors = [s for s in demo.students if s.year_of_study in ("5", "6")][:12]
    juniors = [s for s in demo.students if s.year_of_study in ("1", "2")]
    scheme = create_scheme(chair, "Mentoring 2026/27", SchemeKind.MENTORING, "2,6")
    for mentor in seniors:
        offer_to_mentor(mentor, scheme, rng.randint(1, 3), rng.sample(TOPICS, rng.randint(2, 3)))
    for mentee in [j for j in juniors if j != demo.student][:20]:
        ask_for_mentor(mentee, scheme, rng.sample(TOPICS, rng.randint(1, 3)))
    if demo.student and demo.student.seniority < 5:
        ask_for_mentor(demo.student, scheme, ["exams", "wellbeing"])
    run_matching(chair, scheme)
    shown = mailings.preview("tutors.introduce_mentoring", scheme.pk)  # the committee's way
    mailings.confirm(chair, "tutors.introduce_mentoring", scheme.pk, expected=shown.fingerprint)

    buddies = create_scheme(chair, "First-year buddies 2026/27", SchemeKind.BUDDY, "3")
    for buddy in [s for s in demo.students if s.year_of_study == "2"][:6]:
        offer_to_mentor(buddy, buddies, 2, ["settling", "study", "social"][: rng.randint(1, 3)])
    for fresher in [s for s in demo.students if s.year_of_study == "1"][:8]:
        ask_for_mentor(fresher, buddies, [rng.choice(["settling", "study", "social"])])
