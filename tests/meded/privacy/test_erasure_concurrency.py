"""Two erasures of one member at once (the member and the committee, or a double click), on
PostgreSQL: one erases, the other is refused; the account gets one tombstone and her place on
a session to come is given up once."""

from __future__ import annotations

import pytest

from meded.accounts import erasure
from meded.accounts.erasure import ErasureError
from meded.accounts.models import User
from sessions_app.booking import services as booking
from sessions_app.models import Booking
from tests.factories.core import PASSWORD, CommitteeFactory, UserFactory
from tests.factories.sessions import TeachingSessionFactory
from tests.support.concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_erasures_at_once_erase_once():
    member, committee = UserFactory(), CommitteeFactory()
    session = TeachingSessionFactory(capacity=1)
    booking.book(member, session)
    waiting = booking.book(UserFactory(), session)
    outcome = run_together(
        [
            lambda: erasure.erase_own_account(User.objects.get(pk=member.pk), PASSWORD),
            lambda: erasure.erase_by_committee(committee, User.objects.get(pk=member.pk)),
        ],
        refused_by=(ErasureError,),
    )
    assert outcome.errors == []
    assert len(outcome.done) == 1 and len(outcome.refused) == 1
    erased = User.objects.get(pk=member.pk)
    assert erased.erased_at is not None and erased.email.endswith("@erased.invalid")
    mine = Booking.objects.get(session=session, student=erased)
    assert mine.status == Booking.Status.CANCELLED
    waiting.refresh_from_db()
    assert waiting.status in (Booking.Status.OFFERED, Booking.Status.CONFIRMED)
