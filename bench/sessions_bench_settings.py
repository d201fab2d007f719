"""Settings for the sessions benchmarks: production-like (DEBUG off) plus a minimal view."""

from meded.settings import *  # noqa: F403
from meded.settings import STORAGES as _STORAGES

ROOT_URLCONF = "bench.sessions_bench_urls"
# No collectstatic in a benchmark run: plain static storage (pages only link the files).
STORAGES = {
    **_STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
