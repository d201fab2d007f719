"""While a booking holds its session's row lock, nothing goes to Redis: the cache's table
versions are bumped and the confirmation is queued only after the commit, so a slow or absent
Redis never lengthens the time 200 students queue behind one lock."""

import pytest
import redis.connection
from django.db import transaction

from sessions_app.booking.services import book
from tests.factories.core import UserFactory
from tests.factories.sessions import TeachingSessionFactory
from tests.support.caches import own_redis_cache

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_commands(monkeypatch, settings):
    """Every command this process sends to Redis, as it goes over the wire."""
    settings.CACHES = own_redis_cache(settings.REDIS_URL)
    sent: list[bytes] = []
    original = redis.connection.AbstractConnection.send_packed_command

    def spy(self, command, check_health=True):
        sent.append(command if isinstance(command, bytes) else b"".join(command))
        return original(self, command, check_health)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", spy)
    return sent


def test_a_booking_talks_to_redis_only_after_it_commits(redis_commands):
    session = TeachingSessionFactory(capacity=5)
    student = UserFactory()
    redis_commands.clear()  # what making them sent
    with transaction.atomic():  # book()'s own block is a savepoint: the lock lasts to our exit
        booking = book(student, session)
        during = list(redis_commands)
    assert booking.status == "confirmed"
    assert during == [], [c.split(b"\r\n")[2:7:2] for c in during]
    after = b"".join(redis_commands)
    assert b"tv:sessions_app_booking" in after  # the booking table's version, after the commit
