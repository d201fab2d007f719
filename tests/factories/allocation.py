"""Factories for offerings, rankings and a round that is taking rankings now."""

from datetime import timedelta

import factory
from django.utils import timezone

from tests.factories.core import TopicFactory, TutorFactory
from tests.factories.tutors import ApplicationFactory, RecruitmentRoundFactory
from tutors.models import Application, Offering, Ranking, RecruitmentRound


def ranking_round(**kwargs) -> RecruitmentRound:
    """A round in the ranking state whose window is open now (closes in 3 days)."""
    now = timezone.now().replace(microsecond=0)
    opens = kwargs.pop("ranking_opens", now - timedelta(days=1))
    closes = kwargs.pop("ranking_closes", now + timedelta(days=3))
    start = opens - timedelta(days=30)
    return RecruitmentRoundFactory(
        state=kwargs.pop("state", RecruitmentRound.State.RANKING),
        applications_open=start,
        applications_close=start + timedelta(days=10),
        interviews_open=start + timedelta(days=11),
        interviews_close=start + timedelta(days=20),
        ranking_opens=opens,
        ranking_closes=closes,
        **kwargs,
    )


def accepted_tutor(round: RecruitmentRound, **kwargs):
    """A member in the Tutors group whose application to ``round`` is accepted."""
    tutor = TutorFactory(**kwargs)
    ApplicationFactory(round=round, applicant=tutor, status=Application.Status.ACCEPTED)
    return tutor


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering

    round = factory.SubFactory(RecruitmentRoundFactory)
    topic = factory.SubFactory(TopicFactory)
    capacity = 1


def rank(round: RecruitmentRound, tutor, offerings) -> list[Ranking]:
    """Store a ranking directly (best first), bypassing the window rules."""
    return Ranking.objects.bulk_create(
        Ranking(round=round, tutor=tutor, offering=o, rank=i + 1) for i, o in enumerate(offerings)
    )


def published_pairs(round: RecruitmentRound, pairs):
    """A published run of `round` holding the given (tutor, offering) pairs (rank from the
    tutor's ranking when there is one), as publish_run leaves it."""
    from tutors.models import AllocatedTopic, AllocationRun

    run = AllocationRun.objects.create(
        round=round,
        objective="rank",
        seed=1,
        inputs={},
        result={},
        statistics={},
        is_published=True,
        published_at=timezone.now(),
    )
    for tutor, offering in pairs:
        r = Ranking.objects.filter(tutor=tutor, offering=offering).first()
        AllocatedTopic.objects.create(
            run=run, tutor=tutor, offering=offering, rank=r.rank if r else None
        )
    return run
