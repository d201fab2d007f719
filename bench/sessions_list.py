"""Benchmark /sessions/ (the browse page) against a minimal Django view on the same server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/meded .venv/bin/python bench/sessions_list.py \\
        [--sessions 300] [--seconds 5] [--concurrency 16]

Builds a throw-away PostgreSQL database (<name>_bench_sessions_list, dropped at the end) with
N upcoming published sessions (tutors, target years, topics, bookings), starts gunicorn
(deploy/gunicorn.conf.py, DEBUG off) on 127.0.0.1, and measures requests per second at 16 concurrent
connections from a bounded thread loop for: a minimal Django view (same middleware), /sessions/
(first page of 20, student's default year filter), /sessions/?year= (every year), and a
session detail page. The ratio page/minimal is the figure (hardware cancels out).
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import sessions_support as support


def seed(n: int):
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from meded.models import Module, Topic, User, Year
    from sessions_app.models import Booking, TeachingSession

    years = [
        Year.objects.get_or_create(number=i, defaults={"name": f"Year {i}"})[0] for i in range(1, 7)
    ]
    module = Module.objects.create(name="Bench module", slug="bench-module")
    tutors_group = Group.objects.get_or_create(name="Tutors")[0]
    tutors = User.objects.bulk_create(
        User(email=f"benchtutor{i}@demo.meded.test", full_name=f"Tutor {i}", year_of_study="5")
        for i in range(20)
    )
    tutors_group.user_set.add(*tutors)
    students = User.objects.bulk_create(
        User(email=f"benchstudent{i}@demo.meded.test", full_name=f"Student {i}", year_of_study="3")
        for i in range(60)
    )
    now = timezone.now().replace(microsecond=0)
    kinds = TeachingSession.Kind.values
    deliveries = TeachingSession.Delivery.values
    bookings = []
    for i in range(n):
        topic = Topic.objects.create(code=f"BEN-{i:04d}", title=f"Bench topic {i}", module=module)
        topic.years.set([years[i % 6], years[(i + 2) % 6]])
        start = now + timedelta(hours=6 + i * 5)
        s = TeachingSession.objects.create(
            title=f"Bench session {i}",
            topic=topic,
            kind=kinds[i % len(kinds)],
            delivery=deliveries[i % len(deliveries)],
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            venue="Lecture Theatre 1",
            join_link="https://meet.example.test/x",
            capacity=None if i % 5 == 0 else 10,
            status=TeachingSession.Status.PUBLISHED,
            checkin_code="BENCH1",
        )
        s.target_years.set(topic.years.all())
        s.tutors.set([tutors[i % 20], tutors[(i + 7) % 20]])
        for j in range(8):
            bookings.append(
                Booking(
                    session=s,
                    student=students[(i + j) % 60],
                    status="confirmed" if j < 6 else "waiting",
                    joined_at=now,
                    confirmed_at=now,
                )
            )
    Booking.objects.bulk_create(bookings)
    return students[0], s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    if not support.need_postgres("bench/sessions_list.py"):
        return 2
    with support.bench_database("bench_sessions_list") as db_name:
        student, last = seed(args.sessions)
        cookie = support.session_cookie(student)
        with support.gunicorn(db_name) as port:
            paths = [
                ("minimal Django view", "/bench/minimal/"),
                ("/sessions/ (own year)", "/sessions/"),
                ("/sessions/?year= (all)", "/sessions/?year="),
                ("/sessions/<id>/", f"/sessions/{last.pk}/"),
            ]
            for _, path in paths:  # warm up every worker
                support.load(port, path, cookie, concurrency=args.concurrency, seconds=1)
            results = [
                (
                    label,
                    support.load(
                        port, path, cookie, concurrency=args.concurrency, seconds=args.seconds
                    ),
                )
                for label, path in paths
            ]
    base = results[0][1].rps
    print(
        f"sessions list benchmark: {args.sessions} upcoming sessions, {support.server()}, "
        f"PostgreSQL, {args.concurrency} connections, {args.seconds:.0f} s each; "
        f"{support.machine()}"
    )
    print(f"{'endpoint':28} {'req/s':>9} {'requests':>9} {'errors':>7} {'ratio':>7}")
    for label, r in results:
        print(f"{label:28} {r.rps:9.1f} {r.requests:9d} {r.errors:7d} {r.rps / base:7.3f}")
    errors = sum(r.errors for _, r in results)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
