"""Two committee members confirming the same publication at the same moment publish it once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from meded.errors import DomainError
from meded.notifications import mailings
from meded.notifications.models import Mailing
from sessions_app.booking.models import Booking
from sessions_app.scheduling.models import Series, TeachingSession
from sessions_app.smallgroups import proposal
from sessions_app.smallgroups.publishing import ACTION
from tests.factories.core import CommitteeFactory

from .programme_support import MON_18, programme_with

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_publishes_publish_once():
    first_day = timezone.localdate() + timedelta(days=14)
    programme, _, _people = programme_with(
        first_day=first_day, weeks=3, size=3, leaders=[(MON_18, 1)], students=[MON_18] * 3
    )
    proposal.run(programme)
    shown = mailings.preview(ACTION, programme.pk)
    chairs = [CommitteeFactory(), CommitteeFactory()]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def publish(chair):
        try:
            barrier.wait()
            mailings.confirm(chair, ACTION, programme.pk, expected=shown.fingerprint)
            outcomes.append("published")
        except DomainError:  # "nothing new to publish" or "changed since you looked"
            outcomes.append("refused")
        except Exception as exc:  # any other error fails the test below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(c,)) for c in chairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["published", "refused"]
    assert Mailing.objects.count() == 1
    assert Series.objects.count() == 1
    assert TeachingSession.objects.count() == 3
    assert Booking.objects.filter(status="confirmed").count() == 9
    assert Mailing.objects.get().emails.count() == 4
