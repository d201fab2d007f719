"""Factories for recruitment: rounds, applications, slots."""

from datetime import timedelta

import factory
from django.utils import timezone

from tests.factories.core import UserFactory
from tutors.models import Application, InterviewSlot, RecruitmentRound

# The built-in answers of a complete application (service arguments or POST data).
APPLICATION_FIELDS = {
    "year_of_study": "6",
    "motivation": "Teaching helps me learn.",
    "experience": "None yet",
    "strengths": "Anatomy",
    "availability": ["weekends"],
}


def _now():
    return timezone.now().replace(microsecond=0)


class RecruitmentRoundFactory(factory.django.DjangoModelFactory):
    """Defaults to a round taking applications now (opened a week ago, closes in a week)."""

    class Meta:
        model = RecruitmentRound

    name = factory.Sequence(lambda n: f"Round {n}")
    term = factory.Sequence(lambda n: f"Term {n}")
    state = RecruitmentRound.State.APPLICATIONS_OPEN
    # A new round is blind by default (the model's default); tests opt in to blind review.
    blind_review = False
    applications_open = factory.LazyFunction(lambda: _now() - timedelta(days=7))
    applications_close = factory.LazyAttribute(lambda o: o.applications_open + timedelta(days=14))
    interviews_open = factory.LazyAttribute(lambda o: o.applications_close + timedelta(days=1))
    interviews_close = factory.LazyAttribute(lambda o: o.interviews_open + timedelta(days=14))
    ranking_opens = factory.LazyAttribute(lambda o: o.interviews_close + timedelta(days=1))
    ranking_closes = factory.LazyAttribute(lambda o: o.ranking_opens + timedelta(days=7))


def applications_closed(**kwargs) -> RecruitmentRound:
    """A round whose applications closed two days ago; interviews run from yesterday for two
    weeks (decisions may be released, interview slots fit in the coming days)."""
    return RecruitmentRoundFactory(applications_open=_now() - timedelta(days=16), **kwargs)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted application; pass status=... (e.g. ACCEPTED) as needed."""

    class Meta:
        model = Application

    round = factory.SubFactory(RecruitmentRoundFactory)
    applicant = factory.SubFactory(UserFactory)
    status = Application.Status.SUBMITTED
    year_of_study = "4"
    motivation = "I enjoy explaining things."
    experience = "Peer tutoring in year 2."
    strengths = "Cardiology"
    availability = factory.LazyFunction(lambda: ["weekday_evenings", "online"])
    submitted_at = factory.LazyFunction(_now)


class InterviewSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewSlot

    round = factory.SubFactory(RecruitmentRoundFactory)
    starts_at = factory.LazyFunction(lambda: _now() + timedelta(days=3))
    duration_minutes = 20
    location = "Room 1.01"
    capacity = 1
