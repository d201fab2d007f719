"""The table versions on Redis: bumped in one round trip, never restarted at a number an old
entry could carry, and kept in process memory while Redis is away."""

import pytest
import redis.connection
from django.core.cache import cache

from meded.remember import PREFIX, bump, versions
from tests.support.caches import UNREACHABLE_REDIS, own_redis_cache

pytestmark = pytest.mark.redis


@pytest.fixture
def on_redis(settings):
    settings.CACHES = own_redis_cache(settings.REDIS_URL)


@pytest.fixture
def round_trips(monkeypatch, on_redis):
    sent: list[bytes] = []
    original = redis.connection.AbstractConnection.send_packed_command

    def spy(self, command, check_health=True):
        sent.append(command)
        return original(self, command, check_health)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", spy)
    return sent


def test_every_table_of_a_commit_is_bumped_in_one_round_trip(round_trips):
    before = versions(["a", "b", "c"])
    round_trips.clear()
    bump({"a", "b", "c"})
    assert len(round_trips) == 1
    after = versions(["a", "b", "c"])
    assert all(after[t] == before[t] + 1 for t in "abc")


def test_a_lost_version_restarts_far_from_the_numbers_old_entries_carry(on_redis):
    bump(["lost"])
    first = versions(["lost"])["lost"]
    cache.delete(PREFIX + "lost")  # evicted
    bump(["lost"])
    again = versions(["lost"])["lost"]
    assert again != first
    assert again > 1_000_000  # not INCR's restart at 1, which an old entry may carry


def test_the_cache_reuses_one_client_per_connection_pool(on_redis):
    """Django's client builds a redis.Redis per call; ours keeps one (a tenth of a millisecond,
    several times a request)."""
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)


def test_versions_are_bumped_in_memory_while_redis_is_away(settings):
    settings.CACHES = UNREACHABLE_REDIS
    bump(["away"])
    first = versions(["away"])["away"]
    bump(["away"])
    assert versions(["away"])["away"] == first + 1
