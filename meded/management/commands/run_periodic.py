"""Run the periodic work every N seconds until stopped: the embedded defaults' stand-in for
Celery beat. `make run` starts it beside the development server and stops it with it, so
waiting-list offers run out and places pass on without a broker, as they do in production.

Each pass is `run_periodic_tasks()` (every app's `periodic_task` receiver, each guarded on its
own) plus a retry of stuck emails. SIGTERM or SIGINT ends the loop after the pass in hand.
"""

from __future__ import annotations

import logging
import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection

from meded.notifications.tasks import retry_stuck
from meded.periodic import run_periodic_tasks

log = logging.getLogger(__name__)


def _fresh_connection() -> None:
    """Between passes drop a broken or too-old database connection, as a request would; never
    inside a transaction (a caller's, or a test's)."""
    if not connection.in_atomic_block:
        close_old_connections()


class PeriodicRunner:
    """One pass now, then one every `interval` seconds, until `stop()` (or a signal)."""

    def __init__(self, interval: float, *, passes: int | None = None, write=None):
        self.interval = interval
        self.passes = passes
        self.write = write or (lambda line: None)
        self.stopping = threading.Event()

    def stop(self, *_args) -> None:
        self.stopping.set()

    def run_once(self) -> dict[str, int]:
        _fresh_connection()
        try:
            counts = run_periodic_tasks()
            counts["retried"] = retry_stuck()
        except Exception:  # a broken pass is logged; the next one tries again
            log.exception("periodic pass failed")
            return {}
        finally:
            _fresh_connection()
        done = {name: count for name, count in counts.items() if count}
        if done:
            self.write(", ".join(f"{name}: {count}" for name, count in sorted(done.items())))
        return counts

    def run(self) -> int:
        done = 0
        while not self.stopping.is_set():
            self.run_once()
            done += 1
            if self.passes is not None and done >= self.passes:
                break
            self.stopping.wait(self.interval)
        return done


class Command(BaseCommand):
    help = "Run the periodic work (offers, reminders, due emails) every N seconds until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=float, default=60.0, help="seconds between passes (default 60)"
        )
        parser.add_argument(
            "--passes", type=int, default=None, help="stop after this many passes (for tests)"
        )

    def handle(self, *, every: float, passes: int | None, **options):
        if every <= 0:
            raise CommandError("--every must be a positive number of seconds.")
        if passes is not None and passes < 1:
            raise CommandError("--passes must be at least 1.")
        runner = PeriodicRunner(every, passes=passes, write=self.stdout.write)
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, runner.stop)
            signal.signal(signal.SIGINT, runner.stop)
        self.stdout.write(f"Periodic work every {every:g} s (Ctrl+C or SIGTERM stops it).")
        count = runner.run()
        self.stdout.write(f"Periodic runner stopped after {count} pass(es).")
