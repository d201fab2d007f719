"""Cache settings the tests switch to."""

# A Redis nobody answers at: the site must keep working from each process's memory.
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "meded.cache.FallbackRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def own_redis_cache(redis_url: str) -> dict:
    """The production cache on this test worker's Redis database, under a key prefix of its own
    (nothing needs flushing afterwards: the database is also Celery's broker)."""
    import uuid

    return {
        "default": {
            "BACKEND": "meded.cache.FallbackRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
