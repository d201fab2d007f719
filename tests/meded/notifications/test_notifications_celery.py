"""Celery configuration: eager without Redis, Redis with it, tasks registered in the worker,
late acknowledgement, a visibility timeout longer than any retry, the beat schedule in code."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from meded.celery import app
from meded.notifications import delivery
from meded.notifications.tasks import deliver_email

ROOT = Path(__file__).resolve().parents[3]
PROBE = (
    "import django, json; django.setup(); from meded.celery import app; "
    "app.loader.import_default_modules(); "
    "print(json.dumps({'eager': app.conf.task_always_eager, 'broker': app.conf.broker_url, "
    "'tasks': sorted(t for t in app.tasks if t.startswith('meded.'))}))"
)


def probe(redis_url: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "meded.settings", "REDIS_URL": redis_url}
    env.pop("DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_without_redis_tasks_run_eagerly_in_process():
    if os.environ.get("REDIS_URL"):
        conf = probe("")
    else:  # this very process is configured without Redis
        conf = {"eager": app.conf.task_always_eager, "broker": app.conf.broker_url}
    assert conf["eager"] is True and conf["broker"].startswith("memory://")


def test_with_redis_tasks_go_to_the_broker_and_the_worker_knows_them():
    conf = probe("redis://127.0.0.1:6379/15")
    assert conf["eager"] is False and conf["broker"] == "redis://127.0.0.1:6379/15"
    assert {
        "meded.notifications.tasks.deliver_email",
        "meded.notifications.tasks.dispatch_due",
        "meded.notifications.tasks.retry_stuck",
    } <= set(conf["tasks"])


def test_delivery_is_acknowledged_late_and_one_message_at_a_time():
    assert deliver_email.acks_late is True
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_the_visibility_timeout_outlasts_the_longest_retry_wait():
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert timeout > delivery.MAX_BACKOFF_SECONDS


def test_the_beat_schedule_gives_each_job_its_own_clock_and_sweeps_lost_mail_every_minute():
    """Issue 11: each app's periodic work has its own beat entry (the waiting list is not run by
    the email clock); every entry names a task the worker knows; lost mail is retried often."""
    schedule = settings.CELERY_BEAT_SCHEDULE
    app.loader.import_default_modules()
    tasks = {entry["task"] for entry in schedule.values()}
    assert "meded.notifications.tasks.retry_stuck" in tasks
    assert {
        "sessions_app.tasks.expire_waitlist_offers",
        "sessions_app.tasks.send_session_reminders",
        "feedback.tasks.send_feedback_requests",
        "tutors.tasks.ranking_deadline_reminder",
    } <= tasks
    retry = next(e for e in schedule.values() if e["task"].endswith("retry_stuck"))
    assert retry["schedule"].minute == set(range(60))  # with the grace period: lost mail in minutes
    for entry in schedule.values():
        assert entry["task"] in app.tasks
