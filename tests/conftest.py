"""Shared fixtures. Tests that need a real service are marked and skip with a reason here;
in CI (MEDED_REQUIRE_SERVICES=1) a missing service fails the run instead of skipping."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings

REQUIRE_SERVICES = os.environ.get("MEDED_REQUIRE_SERVICES", "") in {"1", "true", "yes"}
CHROMIUM = os.environ.get("MEDED_CHROMIUM", "/usr/bin/chromium")


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _missing(marker: str) -> str | None:
    if marker == "postgres":
        if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
            return (
                "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/meded "
                "(make test-services)"
            )
    elif marker == "redis":
        url = os.environ.get("REDIS_URL", "")
        if not url:
            return "needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0 (make test-services)"
        parsed = urlparse(url)
        if not _port_open(parsed.hostname or "127.0.0.1", parsed.port or 6379):
            return f"needs Redis: nothing answers at {url}"
    elif marker == "browser":
        if not os.path.exists(CHROMIUM):
            return f"needs Chromium at {CHROMIUM}: apt-get install chromium (or set MEDED_CHROMIUM)"
        try:
            import playwright  # noqa: F401
        except ImportError:
            return "needs Playwright: pip install -e '.[dev]'"
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        for marker in ("postgres", "redis", "browser"):
            if item.get_closest_marker(marker):
                reason = _missing(marker)
                if reason is None:
                    continue
                if REQUIRE_SERVICES:
                    item.add_marker(pytest.mark.meded_missing_service(reason))
                else:
                    item.add_marker(pytest.mark.skip(reason=reason))


def pytest_runtest_setup(item):
    marker = item.get_closest_marker("meded_missing_service")
    if marker:
        pytest.fail(f"MEDED_REQUIRE_SERVICES is set but this test {marker.args[0]}", pytrace=False)


def pytest_configure(config):
    config.addinivalue_line("markers", "meded_missing_service(reason): internal")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Every test writes uploads into its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _clear_cache(settings):
    """Rate limits and caches must not leak from one test into the next. The cache is local
    memory in tests, so clearing it never flushes the Redis database Celery uses as broker."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def committee_user(db):
    from tests.factories import CommitteeFactory

    return CommitteeFactory()


@pytest.fixture
def tutor_user(db):
    from tests.factories import TutorFactory

    return TutorFactory()


@pytest.fixture
def student_user(db):
    from tests.factories import UserFactory

    return UserFactory()
