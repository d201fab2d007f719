"""Benchmark the booking endpoint: many students at once for few places, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/meded .venv/bin/python bench/booking.py \\
        [--students 200] [--sessions 10] [--capacity 5] [--concurrency 16]

Builds a throw-away PostgreSQL database (<name>_bench_booking, dropped at the end), starts
gunicorn (3 sync workers, DEBUG off) on 127.0.0.1 and has every student POST
/sessions/<id>/book/ for every session from 16 concurrent connections (each session's requests
arrive interleaved, so every session is fought over at once). Prints bookings per second,
errors (any answer but the redirect), and per session confirmed/waiting, overbookings (must be
0) and duplicate active bookings (must be 0); beside it the same server's requests per second
for a minimal Django view in the same run (the ratio is the figure).
"""

from __future__ import annotations

import argparse
import queue
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import sessions_support as support


def seed(n_students: int, n_sessions: int, capacity: int):
    from django.utils import timezone

    from meded.models import User
    from sessions_app.models import TeachingSession

    students = User.objects.bulk_create(
        User(email=f"bookbench{i}@demo.meded.test", full_name=f"Student {i}", year_of_study="3")
        for i in range(n_students)
    )
    now = timezone.now().replace(microsecond=0)
    sessions = [
        TeachingSession.objects.create(
            title=f"Bench tutorial {i}",
            kind=TeachingSession.Kind.TUTORIAL,
            starts_at=now + timedelta(days=2, hours=i),
            ends_at=now + timedelta(days=2, hours=i + 1),
            venue="Seminar Room 1",
            capacity=capacity,
            status=TeachingSession.Status.PUBLISHED,
            checkin_code="BENCH1",
        )
        for i in range(n_sessions)
    ]
    return students, sessions


def fire(port: int, jobs: list[tuple[str, str]], concurrency: int, timeout: float = 300):
    """POST every (path, cookie) once from `concurrency` threads; bounded by the job list."""
    todo: queue.Queue = queue.Queue()
    for job in jobs:
        todo.put(job)
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + timeout

    def worker():
        while time.perf_counter() < deadline:
            try:
                path, cookie = todo.get_nowait()
            except queue.Empty:
                return
            try:
                status, _ = support.request(port, "POST", path, cookie)
            except OSError:
                status = -1
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--capacity", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=4.0, help="for the minimal view")
    args = parser.parse_args()
    if not support.need_postgres("bench/booking.py"):
        return 2
    from django.db.models import Count, Q

    with support.bench_database("bench_booking") as db_name:
        students, sessions = seed(args.students, args.sessions, args.capacity)
        cookies = [support.session_cookie(s) for s in students]
        # interleave: student 0 books session 0..K, student 1 ..., so all sessions fill at once
        jobs = [(f"/sessions/{s.pk}/book/", c) for c in cookies for s in sessions]
        with support.gunicorn(db_name) as port:
            support.load(
                port, "/bench/minimal/", cookies[0], concurrency=args.concurrency, seconds=1
            )
            minimal = support.load(
                port,
                "/bench/minimal/",
                cookies[0],
                concurrency=args.concurrency,
                seconds=args.seconds,
            )
            statuses, seconds = fire(port, jobs, args.concurrency)
        from sessions_app.models import Booking, TeachingSession

        rows = TeachingSession.objects.annotate(
            confirmed=Count("bookings", filter=Q(bookings__status="confirmed")),
            waiting=Count("bookings", filter=Q(bookings__status="waiting")),
        ).order_by("pk")
        overbooked = sum(max(r.confirmed - r.capacity, 0) for r in rows)
        duplicates = (
            Booking.objects.filter(status__in=["confirmed", "waiting", "offered"])
            .values("session", "student")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .count()
        )
        per_session = [(r.confirmed, r.waiting) for r in rows]
    total = len(jobs)
    errors = total - statuses.get(302, 0)
    rate = total / seconds
    print(
        f"booking benchmark: {args.students} students x {args.sessions} sessions of "
        f"{args.capacity} places, gunicorn 3 sync workers, PostgreSQL, {args.concurrency} "
        f"connections; {support.machine()}"
    )
    print(f"minimal Django view      {minimal.rps:9.1f} req/s  ({minimal.errors} errors)")
    print(f"POST /sessions/<id>/book/ {rate:8.1f} req/s  ratio {rate / minimal.rps:.3f}")
    print(f"requests {total}, answers {dict(sorted(statuses.items()))}, errors {errors}")
    print(f"per session (confirmed, waiting): {sorted(set(per_session))}")
    print(f"overbookings {overbooked}, duplicate active bookings {duplicates}")
    expected = (args.capacity, args.students - args.capacity)
    ok = errors == 0 and overbooked == 0 and duplicates == 0
    ok = ok and all(p == expected for p in per_session)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
