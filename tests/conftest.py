"""Shared fixtures. Tests that need a real service are marked and skip with a reason here;
in CI (MEDED_REQUIRE_SERVICES=1) a missing service fails the run instead of skipping.

The suite runs in parallel (pytest-xdist, `make test`): each worker has its own test database
(pytest-django adds _gw0, _gw1 to its name) and its own Redis database; the demo society is
built at most once per worker for the tests that only read it."""

from __future__ import annotations

import io
import os
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from meded.celery import app as celery_app

REQUIRE_SERVICES = os.environ.get("MEDED_REQUIRE_SERVICES", "") in {"1", "true", "yes"}
CHROMIUM = os.environ.get("MEDED_CHROMIUM", "/usr/bin/chromium")
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# For property tests that compare the allocation engine with a reference solver (brute force,
# networkx) on 200 random instances each: thorough, not fast. A test module loads it by name
# (`settings.get_profile("thorough-200-examples")`), so every run checks the same amount.
THOROUGH_200 = "thorough-200-examples"
hypothesis_settings.register_profile(
    THOROUGH_200,
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


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
    _demo_tests_together(items)
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
    _own_redis_database()


def _own_redis_database() -> None:
    """Under pytest-xdist each worker talks to its own Redis database (the URL's number plus
    the worker's), so a task one worker queues never reaches the Celery worker another started
    (tests/support/notifications.Worker reads REDIS_URL from the environment)."""
    worker, url = os.environ.get("PYTEST_XDIST_WORKER", ""), os.environ.get("REDIS_URL", "")
    if not (worker.startswith("gw") and url):
        return
    parsed = urlparse(url)
    number = int(parsed.path.strip("/") or 0) + int(worker[2:])
    own = parsed._replace(path=f"/{number}").geturl()
    os.environ["REDIS_URL"] = own
    settings.REDIS_URL = settings.CELERY_BROKER_URL = own
    celery_app.conf.broker_url = own


def _demo_tests_together(items) -> None:
    """Tests on the shared demo society run one after another, where pytest-django put the first
    of them (among the tests that roll back, before any that commit), so each xdist worker
    builds the demo at most once: workers take tests in collection order."""
    demo = [item for item in items if "demo_society" in getattr(item, "fixturenames", ())]
    if not demo:
        return
    at = items.index(demo[0])
    rest = [item for item in items if item not in demo]
    items[:] = rest[:at] + demo + rest[at:]


class DemoSociety:
    """`manage.py seed_demo` once, inside a transaction that is rolled back after the last of
    a run of tests that use it; each of those tests runs in its own savepoint within it."""

    def __init__(self):
        self.atomic = None
        self.blocker = None

    def open(self, django_db_blocker, media) -> None:
        if self.atomic is not None:
            return
        self.blocker = django_db_blocker
        django_db_blocker.unblock()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        with override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHERS, CACHES=LOCAL_CACHE):
            call_command("seed_demo", stdout=io.StringIO())

    def close(self) -> None:
        if self.atomic is None:
            return
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        self.atomic = None
        self.blocker.restore()


_DEMO = DemoSociety()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Once the test's own savepoint is rolled back, close the demo after the last test of the
    run, so the tests that commit (live server, concurrency) never see it."""
    yield
    if nextitem is None or "demo_society" not in getattr(nextitem, "fixturenames", ()):
        _DEMO.close()


@pytest.fixture(scope="session")
def _demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def _demo_society_open(django_db_setup, django_db_blocker, _demo_media):
    """Module-scoped so that it opens before the test's own transaction (function-scoped)."""
    _DEMO.open(django_db_blocker, _demo_media)


@pytest.fixture
def demo_society(_demo_society_open, db, settings, _demo_media):
    """The demo society of `manage.py seed_demo`, built once for a run of tests that only read
    it (what a test writes is rolled back after it)."""
    settings.MEDIA_ROOT = _demo_media
    return _demo_media


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

    settings.CACHES = LOCAL_CACHE
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


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


@pytest.fixture
def steady_minute():
    """Pages are remembered per member and minute (meded/remember.py): a test that compares a
    visit with its repeat starts at the top of the current minute, so the minute cannot turn
    between the two; the clock runs on from there."""
    import time_machine
    from django.utils import timezone

    with time_machine.travel(timezone.now().replace(second=0, microsecond=0), tick=True):
        yield
