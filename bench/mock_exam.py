"""Benchmark a mock-exam sitting: many students start the same paper in the same minute and
save their answers one request per answer, on gunicorn + PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/meded .venv/bin/python bench/mock_exam.py \\
        [--students 300] [--questions 100] [--concurrency 16]

Builds a throw-away database (<name>_bench_mock_exam, dropped at the end): the students, a
published bank imported through the import service, a mock-exam session that started a minute
ago with every student booked, and a paper built through the exam services. gunicorn
(deploy/gunicorn.conf.py: gthread workers, DEBUG off) serves it on 127.0.0.1. Every student
POSTs the start, then every answer
(the JSON endpoint the sitting page calls), interleaved across students so all attempts are hot
at once. Prints answers per second, p50/p95 latency, errors and lost answers (an answer the
server acknowledged that is not in the database with that choice: must be 0), beside the same
server's requests per second for a minimal Django view in the same run (the ratio is the figure).
"""

from __future__ import annotations

import argparse
import http.client
import queue
import random
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import sessions_support as support

LETTERS = "ABCDE"


def seed(n_students: int, n_questions: int):
    from django.utils import timezone

    from meded.models import Module, Topic, User, Year
    from meded.roles import COMMITTEE_GROUP
    from sessions_app.models import Booking, TeachingSession
    from sessions_app.questions import exams, importing

    year = Year.objects.get_or_create(number=3, defaults={"name": "Year 3"})[0]
    module = Module.objects.create(name="Bench module", slug="bench-module")
    topic = Topic.objects.create(code="BENCH-01", title="Bench topic", module=module)
    topic.years.set([year])
    from django.contrib.auth.models import Group

    chair = User.objects.create_user("benchchair@demo.meded.test", full_name="Chair")
    chair.groups.add(Group.objects.get_or_create(name=COMMITTEE_GROUP)[0])
    rows = [
        ["BENCH-01", f"Bench stem {i}?", *(f"Option {x} {i}" for x in LETTERS), "C", "Because."]
        for i in range(n_questions)
    ]
    importing.import_questions(importing.csv_text(importing.HEADER, rows), chair, publish=True)
    now = timezone.now().replace(microsecond=0)
    session = TeachingSession.objects.create(
        title="Bench mock exam",
        kind=TeachingSession.Kind.MOCK_EXAM,
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(hours=3),
        venue="Exam hall",
        capacity=n_students,
        status=TeachingSession.Status.PUBLISHED,
        checkin_code="BENCH1",
    )
    students = User.objects.bulk_create(
        User(email=f"exambench{i}@demo.meded.test", full_name=f"Student {i}", year_of_study="3")
        for i in range(n_students)
    )
    Booking.objects.bulk_create(
        Booking(session=session, student=s, status="confirmed", joined_at=now, confirmed_at=now)
        for s in students
    )
    paper = exams.create_paper(chair, title="Bench paper", session=session, time_limit_minutes=120)
    from sessions_app.questions.models import Question

    exams.add_questions(
        chair, paper, list(Question.objects.order_by("pk").values_list("pk", flat=True))
    )
    return students, paper, list(paper.items.order_by("position").values_list("pk", flat=True))


def post(port: int, path: str, cookie: str, body: dict) -> tuple[int, bytes]:
    data = urlencode(body).encode()
    conn = http.client.HTTPConnection(support.HOST, port, timeout=60)
    headers = {
        "Cookie": cookie,
        "X-CSRFToken": support.CSRF,
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": str(len(data)),
        "Accept": "application/json",
    }
    try:
        conn.request("POST", path, body=data, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def fire(port: int, jobs: list, concurrency: int, timeout: float = 900):
    """POST every job once from `concurrency` threads; returns statuses, latencies, acks."""
    todo: queue.Queue = queue.Queue()
    for job in jobs:
        todo.put(job)
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    acked: dict[tuple[int, int], str] = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + timeout

    def worker():
        while time.perf_counter() < deadline:
            try:
                path, cookie, body, key = todo.get_nowait()
            except queue.Empty:
                return
            began = time.perf_counter()
            try:
                status, _ = post(port, path, cookie, body)
            except OSError:
                status = -1
            took = time.perf_counter() - began
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                latencies.append(took)
                if status == 200 and key is not None:
                    acked[key] = body["choice"]

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses, latencies, acked, time.perf_counter() - start


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))] if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=4.0, help="for the minimal view")
    args = parser.parse_args()
    if not support.need_postgres("bench/mock_exam.py"):
        return 2
    rng = random.Random(15)
    with support.bench_database("bench_mock_exam") as db_name:
        students, paper, items = seed(args.students, args.questions)
        cookies = [support.session_cookie(s) for s in students]
        sit = f"/questions/exams/{paper.pk}/"
        answer = f"/questions/exams/{paper.pk}/answer/"
        starts = [(sit, c, {}, None) for c in cookies]
        answers = [
            (answer, cookies[s], {"item": item, "choice": rng.choice(LETTERS)}, (s, item))
            for item in items
            for s in range(len(students))
        ]
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
            start_statuses, _, _, start_seconds = fire(port, starts, args.concurrency)
            statuses, latencies, acked, seconds = fire(port, answers, args.concurrency)
        from sessions_app.questions.models import ExamAnswer

        stored = {
            (index, item): chosen
            for index, item, chosen in (
                (int(email.removeprefix("exambench").split("@")[0]), item, chosen)
                for email, item, chosen in ExamAnswer.objects.values_list(
                    "attempt__student__email", "item_id", "chosen"
                )
            )
        }
        attempts = paper.attempts.count()
    lost = sum(1 for key, choice in acked.items() if stored.get(key) != choice)
    sent = len(latencies)  # fewer than the answers only if the time bound stopped the run
    errors = len(answers) - statuses.get(200, 0)
    rate = sent / seconds
    print(
        f"mock-exam benchmark: {args.students} students x {args.questions} questions, "
        f"{support.server()}, PostgreSQL, {args.concurrency} connections; {support.machine()}"
    )
    print(f"minimal Django view           {minimal.rps:9.1f} req/s  ({minimal.errors} errors)")
    print(
        f"POST start ({len(starts)} students)    {len(starts) / start_seconds:9.1f} req/s  "
        f"answers {dict(sorted(start_statuses.items()))}, attempts {attempts}"
    )
    print(f"POST answer (one per answer)  {rate:9.1f} answers/s  ratio {rate / minimal.rps:.3f}")
    print(
        f"latency p50 {percentile(latencies, 0.5) * 1000:.1f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.1f} ms"
    )
    print(
        f"answers {len(answers)}, sent {sent}, acknowledged {len(acked)}, errors {errors}, "
        f"lost {lost}; the answer phase took {seconds:.0f} s"
    )
    ok = errors == 0 and lost == 0 and attempts == args.students
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
