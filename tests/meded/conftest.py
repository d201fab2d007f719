"""Fixtures for the core's tests: emails rendered from test-only kinds, Celery run in-process."""

import pytest


@pytest.fixture
def eager_celery():
    """Deliver in-process even when REDIS_URL is set (the suite under `make test-services`)."""
    from meded.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = before


@pytest.fixture
def email_kinds(settings, eager_celery):
    """The test-only kinds of tests/support/notifications.py with their templates."""
    from tests.support import notifications

    notifications.use_test_templates(settings)
    return notifications
