"""The periodic runner that `make run` starts beside the development server: offers run out and
places pass on without a broker, and SIGTERM/SIGINT stop it cleanly."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from sessions_app.booking.services import book, cancel
from sessions_app.models import Booking
from tests.factories.core import UserFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

ROOT = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_the_runner_moves_an_expired_offer_on_to_the_next_in_the_queue():
    with time_machine.travel(NOW, tick=False) as clock:
        session = TeachingSessionFactory(capacity=1, starts_at=NOW + timedelta(days=3))
        holder = BookingFactory(session=session)
        first, second = (
            book(UserFactory(), session, now=NOW + timedelta(minutes=i)) for i in (1, 2)
        )
        cancel(holder.student, holder)
        first.refresh_from_db()
        assert first.status == Booking.Status.OFFERED

        clock.move_to(first.offer_expires_at + timedelta(minutes=1))
        out = io.StringIO()
        call_command("run_periodic", passes=1, every=1, stdout=out)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.cancel_reason) == ("cancelled", "offer_expired")
    assert second.status == Booking.Status.OFFERED
    assert "sessions_app.waitlist_expiry: 1" in out.getvalue()
    assert "stopped after 1 pass" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [{"every": 0}, {"passes": 0}])
def test_nonsense_intervals_are_refused(bad):
    with pytest.raises(CommandError):
        call_command("run_periodic", stdout=io.StringIO(), **bad)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_runner_cleanly(tmp_path, sig):
    """The process `make run` starts in the background ends at once, with status 0."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "meded.settings",
    }
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "run_periodic", "--every", "30"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert "Periodic work every 30 s" in line
        time.sleep(0.5)
        proc.send_signal(sig)
        assert proc.wait(timeout=20) == 0
        assert "stopped after 1 pass" in proc.stdout.read()
    finally:
        if proc.poll() is None:
            proc.kill()


def test_make_run_starts_the_runner_and_stops_it_with_the_server():
    recipe = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "run_periodic" in recipe and "&" in recipe
    assert "trap" in recipe and "kill" in recipe
    assert recipe.index("run_periodic") < recipe.index("runserver")
