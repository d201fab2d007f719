"""The SMTP sink the delivery tests send to: a real aiosmtpd server on 127.0.0.1."""

import pytest

from meded.notifications import connections
from tests.support.notifications import SmtpSink


@pytest.fixture
def sink(settings):
    server = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    connections.close_kept()  # the worker thread's kept connection belongs to this sink
    server.stop()
