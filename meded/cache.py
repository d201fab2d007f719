"""A Redis cache that survives Redis going away.

allauth's rate limits and the sessions' throttles read and write the cache on every login; with a
plain RedisCache a Redis outage turns every login into a 500. Here a connection error is logged
once per outage and the call is answered by this process's own memory instead: limits still hold
per process, and Redis is tried again after a short pause.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 15
_DOWN = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)


def _fallback_method(name: str):
    def method(self, *args, **kwargs):
        if time.monotonic() >= self._down_until:
            try:
                result = getattr(super(FallbackRedisCache, self), name)(*args, **kwargs)
            except _DOWN as exc:
                if not self._down_until:
                    log.warning("Redis cache unreachable (%s); using process memory", exc)
                self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            else:
                self._down_until = 0.0
                return result
        return getattr(self._memory, name)(*args, **kwargs)

    method.__name__ = name
    return method


class FallbackRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0
        self._memory = LocMemCache("meded-fallback", {"TIMEOUT": params.get("TIMEOUT", 300)})

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
