"""On PostgreSQL, tutors accepting the same cover offer at once: exactly one takes the session."""

import pytest

from sessions_app.cover.models import CoverRequest
from sessions_app.cover.services import accept_cover, ask_for_cover, offer_cover
from sessions_app.errors import SessionError
from tests.factories import CommitteeFactory, TopicFactory
from tests.factories.allocation import OfferingFactory, accepted_tutor, rank, ranking_round
from tests.factories.sessions import TeachingSessionFactory
from tests.support.concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_only_one_of_several_simultaneous_acceptances_wins():
    round = ranking_round()
    topic = TopicFactory()
    offering = OfferingFactory(round=round, topic=topic)
    tutor = accepted_tutor(round)
    others = [accepted_tutor(round) for _ in range(4)]
    for t in [tutor, *others]:
        rank(round, t, [offering])
    session = TeachingSessionFactory(topic=topic, tutors=[tutor])
    cover = ask_for_cover(tutor, session)
    offer_cover(CommitteeFactory(), cover, [t.pk for t in others])
    offers = list(cover.offers.all())
    outcome = run_together(
        [lambda o=o: accept_cover(o.tutor, o) for o in offers], refused_by=(SessionError,)
    )
    assert outcome.errors == []
    assert len(outcome.done) == 1 and len(outcome.refused) == 3
    cover = CoverRequest.objects.get()
    assert cover.state == "covered"
    assert list(session.tutors.values_list("pk", flat=True)) == [cover.covered_by_id]
