"""Benchmark booking: 200 students book at once, on one 20-place session and on 20 sessions of
5 places, through gunicorn (deploy/gunicorn.conf.py: gthread workers) on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/meded .venv/bin/python bench/booking.py \\
        [--students 200] [--rounds 3] [--concurrency 32]

Builds a throw-away PostgreSQL database (<name>_bench_booking, dropped at the end). Each round
makes fresh sessions and has every student POST /sessions/<id>/book/ once, all released at the
same moment from `concurrency` connections:

- "one session": one session of 20 places that all 200 students fight over;
- "20 sessions": 20 sessions of 5 places, student i books session i mod 20 (10 for 5 places).

The reference is the same server, in the same run, serving that session's page
(GET /sessions/<id>/) to a signed-in student; the ratio bookings/s : GETs/s is the figure.
Prints p50/p95 of the bookings, errors (any answer but the redirect: must be 0), overbooked
places and duplicate active bookings (both must be 0), and confirmed/waiting per session.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import sessions_support as support
from bench.mock_exam import percentile

SCENARIOS = {"one session": (1, 20), "20 sessions": (20, 5)}


def seed_students(n_students: int):
    from meded.models import User

    return User.objects.bulk_create(
        User(email=f"bookbench{i}@demo.meded.test", full_name=f"Student {i}", year_of_study="3")
        for i in range(n_students)
    )


def seed_sessions(n_sessions: int, capacity: int, label: str):
    from django.utils import timezone

    from sessions_app.models import TeachingSession

    now = timezone.now().replace(microsecond=0)
    return [
        TeachingSession.objects.create(
            title=f"Bench tutorial {label} {i}",
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


def burst(port: int, jobs: list[tuple[str, str]], concurrency: int):
    """Every (path, cookie) POSTed once; the threads start together (a barrier), so the
    requests arrive as one burst. Returns statuses, latencies and the wall time."""
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    lock = threading.Lock()
    shares = [jobs[i::concurrency] for i in range(concurrency)]
    barrier = threading.Barrier(len(shares) + 1)

    def worker(share):
        barrier.wait()
        for path, cookie in share:
            began = time.perf_counter()
            try:
                status, _ = support.request(port, "POST", path, cookie)
            except OSError:
                status = -1
            took = time.perf_counter() - began
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                latencies.append(took)

    threads = [threading.Thread(target=worker, args=(share,)) for share in shares]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    return statuses, latencies, time.perf_counter() - start


def check(sessions) -> tuple[int, int, list[tuple[int, int]]]:
    from django.db.models import Count, Q

    from sessions_app.models import Booking, TeachingSession

    rows = (
        TeachingSession.objects.filter(pk__in=[s.pk for s in sessions])
        .annotate(
            confirmed=Count("bookings", filter=Q(bookings__status="confirmed")),
            waiting=Count("bookings", filter=Q(bookings__status="waiting")),
        )
        .order_by("pk")
    )
    overbooked = sum(max(r.confirmed - r.capacity, 0) for r in rows)
    duplicates = (
        Booking.objects.filter(session__in=sessions, status__in=["confirmed", "waiting", "offered"])
        .values("session", "student")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    return overbooked, duplicates, [(r.confirmed, r.waiting) for r in rows]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="fresh sessions each round")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=4.0, help="for the reference GETs")
    args = parser.parse_args()
    if not support.need_postgres("bench/booking.py"):
        return 2
    ok = True
    with support.bench_database("bench_booking") as db_name:
        students = seed_students(args.students)
        cookies = [support.session_cookie(s) for s in students]
        print(
            f"booking benchmark: {args.students} students at once, {args.rounds} round(s), "
            f"{support.server()}, PostgreSQL, {args.concurrency} connections; "
            f"{support.machine()}"
        )
        with support.gunicorn(db_name) as port:
            for name, (n_sessions, capacity) in SCENARIOS.items():
                statuses: dict[int, int] = {}
                latencies: list[float] = []
                seconds = 0.0
                per_session: list[tuple[int, int]] = []
                overbooked = duplicates = 0
                page = None
                for r in range(args.rounds):
                    sessions = seed_sessions(n_sessions, capacity, f"{name} {r}")
                    page = page or f"/sessions/{sessions[0].pk}/"
                    jobs = [
                        (f"/sessions/{sessions[i % n_sessions].pk}/book/", cookie)
                        for i, cookie in enumerate(cookies)
                    ]
                    got, took, wall = burst(port, jobs, args.concurrency)
                    for status, n in got.items():
                        statuses[status] = statuses.get(status, 0) + n
                    latencies += took
                    seconds += wall
                    over, dup, rows = check(sessions)
                    overbooked, duplicates = overbooked + over, duplicates + dup
                    per_session += rows
                support.load(port, page, cookies[0], concurrency=args.concurrency, seconds=1)
                reference = support.load(
                    port, page, cookies[0], concurrency=args.concurrency, seconds=args.seconds
                )
                total = args.rounds * args.students
                errors = total - statuses.get(302, 0)
                rate = total / seconds
                per_place = args.students // n_sessions
                expected = (min(capacity, per_place), max(per_place - capacity, 0))
                good = errors == 0 and overbooked == 0 and duplicates == 0
                good = good and all(row == expected for row in per_session)
                ok = ok and good and reference.errors == 0
                print(f"-- {name}: {n_sessions} session(s) of {capacity} places")
                print(f"GET {page:<22} {reference.rps:8.1f} req/s  ({reference.errors} errors)")
                print(
                    f"POST book (once each)       {rate:8.1f} bookings/s  "
                    f"ratio {rate / reference.rps:.3f}"
                )
                print(
                    f"latency p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
                    f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms; "
                    f"answers {dict(sorted(statuses.items()))}, errors {errors}"
                )
                print(
                    f"per session (confirmed, waiting) {sorted(set(per_session))}; "
                    f"overbooked {overbooked}, duplicate active bookings {duplicates}"
                )
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
