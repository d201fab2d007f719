"""Benchmark email delivery: N due session reminders through Redis and a real Celery worker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/meded REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/notifications.py [--quick | --count 5000] [--pool prefork] \\
        [--concurrency 2]

Builds a throw-away PostgreSQL database (<name>_bench_notifications, dropped at the end) with
N students booked two days ago on a session that starts in 23 hours, starts
`celery -A meded worker` on it with Redis, and points EMAIL_URL at a local aiosmtpd sink. Then:

- dispatch: the periodic run (dispatch_due -> sessions_app reminders) logs N rows (kind, key
  and context by reference: nothing is rendered) and queues N deliveries in Redis, with no
  worker running yet;
- drain: a worker starts; each task claims a batch, renders it, sends it over one SMTP
  connection and marks each row sent as the server accepts it; timed until all N are sent;
- reference: plain smtplib sends the same N rendered messages to the same sink in this run,
  over one connection, and with one connection per message (what the worker does);
- a second periodic run and a retry_stuck run: nothing more may arrive; duplicates must be 0.

The ratio worker drain / plain smtplib is the figure (hardware cancels out).
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import smtplib
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meded.settings")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--quick", action="store_true", help="500 reminders: a smoke run")
    # the production worker's shape (docker-compose.yml: prefork, --concurrency 2)
    parser.add_argument("--pool", default="prefork", choices=["prefork", "threads", "solo"])
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=600, help="seconds for delivery")
    args = parser.parse_args()
    if args.quick:
        args.count = min(args.count, 500)

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("bench/notifications.py needs PostgreSQL: set DATABASE_URL=postgres://...")
        return 2
    if not os.environ.get("REDIS_URL"):
        print("bench/notifications.py needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0")
        return 2

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    db = settings.DATABASES["default"]
    db.setdefault("TEST", {})["NAME"] = f"{db['NAME']}_bench_notifications"
    old_name = db["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        return run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def seed(count: int):
    from django.utils import timezone

    from meded.models import User
    from sessions_app.models import Booking, TeachingSession

    now = timezone.now()
    session = TeachingSession.objects.create(
        title="Bench: acid-base balance",
        kind=TeachingSession.Kind.LECTURE,
        delivery=TeachingSession.Delivery.IN_PERSON,
        starts_at=now + timedelta(hours=23),
        ends_at=now + timedelta(hours=24),
        venue="Lecture Theatre 1",
        capacity=count,
        status=TeachingSession.Status.PUBLISHED,
        checkin_code="BENCH1",
    )
    users = User.objects.bulk_create(
        User(email=f"bench{n:05d}@demo.meded.test", full_name=f"Bench Student {n}")
        for n in range(count)
    )
    earlier = now - timedelta(days=2)
    Booking.objects.bulk_create(
        Booking(
            session=session,
            student=user,
            status=Booking.Status.CONFIRMED,
            joined_at=earlier,
            confirmed_at=earlier,
        )
        for user in users
    )


def worker_cpu_seconds(worker) -> float:
    """CPU time of the worker and its pool processes so far (Linux /proc; 0 elsewhere)."""
    pids, total = [worker.process.pid], 0.0
    try:
        children = Path(f"/proc/{pids[0]}/task/{pids[0]}/children").read_text().split()
        for pid in pids + [int(c) for c in children]:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return 0.0
    return total


def run(args) -> int:
    from meded.models import SentEmail
    from meded.notifications.delivery import build_message
    from meded.notifications.tasks import dispatch_due, retry_stuck
    from tests.support.notifications import SmtpSink, Worker, wait_for

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    n = args.count
    seed(n)
    sink = SmtpSink().start()
    log = Path(tempfile.gettempdir()) / f"meded-bench-worker-{os.getpid()}.log"
    worker = Worker(sink.url, pool=args.pool, concurrency=args.concurrency, log=log, purge=False)
    sent = SentEmail.objects.filter(kind="session_reminder", status=SentEmail.Status.SENT)
    try:
        # 1. the periodic run decides: N rows written, N deliveries queued in Redis
        start = time.perf_counter()
        counts = dispatch_due()
        dispatch_seconds = time.perf_counter() - start
        # 2. a worker drains the queue: claim, SMTP, mark sent
        worker.start()
        cpu_before = worker_cpu_seconds(worker)
        start = time.perf_counter()
        wait_for(lambda: sent.count() >= n, args.timeout, worker.describe)
        drain_seconds = time.perf_counter() - start
        drain_cpu = worker_cpu_seconds(worker) - cpu_before
        received = len(sink.messages())

        # 3. what would a repeated or overlapping beat run, or retry_stuck, add? nothing
        again = dispatch_due().get("sessions_app.reminders", 0)
        retry_stuck()
        time.sleep(2)
        messages = sink.messages()
        per_recipient = Counter(m["To"] for m in messages)
        duplicates = sum(c - 1 for c in per_recipient.values())
    finally:
        worker.stop()

    # reference: the same rendered messages through plain smtplib, same sink, same run
    rows = list(SentEmail.objects.filter(kind="session_reminder").order_by("pk"))
    payloads = [(r.to_email, build_message(r).message().as_bytes(linesep="\r\n")) for r in rows]
    sink.received.clear()
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", sink.port) as smtp:
        for to, payload in payloads:
            smtp.sendmail("noreply@meded.test", [to], payload)
    one_connection = time.perf_counter() - start
    sink.received.clear()
    start = time.perf_counter()
    for to, payload in payloads:
        with smtplib.SMTP("127.0.0.1", sink.port) as smtp:
            smtp.sendmail("noreply@meded.test", [to], payload)
    per_message = time.perf_counter() - start
    reference_ok = len(sink.messages()) == n
    sink.stop()

    pipeline = dispatch_seconds + drain_seconds
    rate, drain_rate = n / pipeline, n / drain_seconds
    rate_one, rate_each = n / one_connection, n / per_message
    print(f"bench/notifications.py  python {platform.python_version()}  cpus {os.cpu_count()}")
    print(f"worker: --pool={args.pool} --concurrency={args.concurrency}; broker Redis; PostgreSQL")
    print(f"due reminders                     {n}")
    written = counts.get("sessions_app.reminders", 0)
    print(f"rows written + queued by dispatch {written}")
    print(
        f"dispatch_due (decide, log, queue) {dispatch_seconds:8.2f} s  "
        f"{n / dispatch_seconds:8.1f} emails/s"
    )
    print(f"worker drain (render, SMTP, sent) {drain_seconds:8.2f} s  {drain_rate:8.1f} emails/s")
    if drain_cpu:
        print(
            f"worker CPU during the drain       {drain_cpu:8.2f} s  "
            f"{drain_cpu / n * 1000:8.2f} ms/email ({drain_cpu / drain_seconds:.0%} of a core)"
        )
    print(f"pipeline, end to end              {pipeline:8.2f} s  {rate:8.1f} emails/s")
    print(f"plain smtplib, one connection     {one_connection:8.2f} s  {rate_one:8.1f} emails/s")
    print(f"plain smtplib, connection each    {per_message:8.2f} s  {rate_each:8.1f} emails/s")
    print(f"ratio worker drain / smtplib (one connection)   {drain_rate / rate_one:.3f}")
    print(f"ratio worker drain / smtplib (connection each)  {drain_rate / rate_each:.3f}")
    print(f"ratio end to end / smtplib (one connection)     {rate / rate_one:.3f}")
    print(f"received by SMTP sink             {received}")
    print(f"second periodic run queued        {again}")
    print(f"duplicates                        {duplicates}")
    ok = received == n and duplicates == 0 and again == 0 and len(messages) == n and reference_ok
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
