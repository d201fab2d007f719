"""Demo portfolio and fast track (after the feedback demo, which it builds on): reflections and a
private link for the demo tutor, career links, and a fast-track rule on the round taking
applications with one returning tutor who qualifies and one who does not. Through the
services; idempotent."""

from __future__ import annotations

from feedback.models import CareerLink, Reflection
from tutors.models import Application, ApplicationStatus, RecruitmentRound, RoundState
from tutors.recruitment.services.fasttrack import save_rule, verdict_for
from tutors.recruitment.services.recruitment import save_application

from . import selectors, services

CAREERS = [
    ("Academy of Medical Educators: membership and pathways", "https://www.medicaleducators.org/"),
    ("UK Foundation Programme: applying", "https://foundationprogramme.nhs.uk/"),
    ("Clinical teaching fellowships (NHS Jobs search)", "https://www.jobs.nhs.uk/"),
]


def seed_portfolio(demo=None, **kwargs) -> None:
    if demo is None or demo.tutor is None or Reflection.objects.exists():
        return
    chair = demo.chair or demo.committee[0]
    for title, url in CAREERS:
        if not CareerLink.objects.filter(url=url).exists():
            services.add_career_link(chair, title, url)
    taught = list(selectors.taught_sessions(demo.tutor).order_by("-starts_at")[:3])
    notes = [
        ("Ran over by ten minutes; next time I will cut one case and keep the quiz.", True),
        ("Nervous at the start. The group warmed up once we did the ECG together.", True),
        ("Felt flat today, tired after placement. Fine to have an off day.", False),
    ]
    for session, (text, include) in zip(taught, notes, strict=False):
        services.save_reflection(demo.tutor, session, text, include)
    services.create_link(demo.tutor, "Foundation programme application")
    _fast_track(demo, chair)


def _fast_track(demo, chair) -> None:
    round = RecruitmentRound.objects.filter(state=RoundState.APPLICATIONS_OPEN).first()
    if round is None or not round.takes_applications:
        return
    save_rule(
        chair,
        round,
        {
            "enabled": True,
            "min_sessions": 2,
            "min_mean": 3.5,
            "min_responses": 5,
            "min_observation_level": 0,
            "note": "Returning tutors: we know your teaching, so we skip the interview.",
        },
    )
    applied = set(round.applications.values_list("applicant_id", flat=True))
    found = {True: None, False: None}
    for tutor in demo.tutors:
        if tutor.pk in applied or None not in found.values():
            continue
        if not Application.objects.filter(
            applicant=tutor, status=ApplicationStatus.ACCEPTED
        ).exists():
            continue
        verdict, _ = verdict_for(tutor, round)
        if found[verdict.qualifies] is None:
            found[verdict.qualifies] = tutor
    fields = {
        "year_of_study": "5",
        "motivation": "I taught last term and loved it.",
        "experience": "A term of lectures with the society.",
        "strengths": "Cardiology",
        "availability": ["weekday_evenings"],
    }
    for tutor in found.values():
        if tutor is not None:
            save_application(tutor, round, fields, {}, submit=True)
