"""A Redis cache that survives Redis going away.

allauth's rate limits and the sessions' throttles read and write the cache on every login; with a
plain RedisCache a Redis outage turns every login into a 500. Here a connection error is logged
once per outage and the call is answered by this process's own memory instead: limits still hold
per process, and Redis is tried again after a short pause.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 15
_DOWN = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)


def _fallback_method(name: str):
    def method(self, *args, **kwargs):
        return self._either(
            lambda: getattr(super(FallbackRedisCache, self), name)(*args, **kwargs),
            lambda: getattr(self._memory, name)(*args, **kwargs),
        )

    method.__name__ = name
    return method


class ReusingRedisClient(RedisCacheClient):
    """One `redis.Redis` per connection pool, not a new one per call as Django's client makes
    (each copies some eighty response callbacks: a tenth of a millisecond on every cache call,
    several per request). A `redis.Redis` is safe to share between threads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FallbackRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisClient
        self._down_until = 0.0
        self._memory = LocMemCache("meded-fallback", {"TIMEOUT": params.get("TIMEOUT", 300)})

    def _either(self, on_redis: Callable, in_memory: Callable):
        if time.monotonic() >= self._down_until:
            try:
                result = on_redis()
            except _DOWN as exc:
                if not self._down_until:
                    log.warning("Redis cache unreachable (%s); using process memory", exc)
                self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            else:
                self._down_until = 0.0
                return result
        return in_memory()

    def bump_versions(self, keys: list[str], fresh: Callable[[], int]) -> None:
        """Increment every counter in `keys` in one round trip (Django's `incr` takes two per
        key); a counter that is missing starts from `fresh()`, so an eviction never restarts
        it at a number an old entry could carry."""

        def on_redis() -> None:
            pipeline = self._cache.get_client(write=True).pipeline(transaction=False)
            for key in keys:
                key = self.make_and_validate_key(key)
                pipeline.set(key, fresh(), nx=True)
                pipeline.incr(key)
            pipeline.execute()

        def in_memory() -> None:
            for key in keys:
                try:
                    self._memory.incr(key)
                except ValueError:
                    self._memory.set(key, fresh(), timeout=None)

        self._either(on_redis, in_memory)

    @property
    def degraded(self) -> bool:
        """Answering from this process's memory: what other processes write is not seen."""
        return time.monotonic() < self._down_until

    for _name in (
        "add",
        "get",
        "set",
        "touch",
        "delete",
        "get_many",
        "has_key",
        "incr",
        "set_many",
        "delete_many",
        "clear",
    ):
        locals()[_name] = _fallback_method(_name)
    del _name
