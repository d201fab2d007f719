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


def test_two_confirmations_of_the_cover_offers_at_once_ask_once():
    from meded.notifications import mailings
    from meded.notifications.mailings import MailingError
    from meded.notifications.models import Mailing, SentEmail
    from sessions_app.cover.services import choose_cover

    round = ranking_round()
    topic = TopicFactory()
    offering = OfferingFactory(round=round, topic=topic)
    tutor = accepted_tutor(round)
    others = [accepted_tutor(round) for _ in range(3)]
    for t in [tutor, *others]:
        rank(round, t, [offering])
    cover = ask_for_cover(tutor, TeachingSessionFactory(topic=topic, tutors=[tutor]))
    choose_cover(CommitteeFactory(), cover, [t.pk for t in others])
    shown = mailings.preview("sessions.offer_cover", cover.pk)
    outcome = run_together(
        [
            lambda: mailings.confirm(
                None, "sessions.offer_cover", cover.pk, expected=shown.fingerprint
            )
        ]
        * 2,
        refused_by=(MailingError, SessionError),
    )
    assert outcome.errors == []
    assert len(outcome.done) == 1 and len(outcome.refused) == 1
    assert Mailing.objects.count() == 1 and cover.offers.count() == 3
    assert SentEmail.objects.filter(kind="cover_offered").count() == 3
