"""Every page of every role, CPU per request, against a minimal signed-in view; at demo size and
at K times the history.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/meded .venv/bin/python bench/pages.py \\
        [--scale 10] [--repeat 5] [--only /committee/]   (--only '/$': the home page alone)

Builds a throw-away PostgreSQL database (<name>_bench_pages, dropped at the end), runs
`seed_demo`, discovers the GET pages from the URL conf (patterns whose arguments it can fill from
the demo), and measures the CPU milliseconds each page costs in-process (DEBUG off, the bench
URL conf) for the demo student, tutor and committee member, beside a minimal view behind the
same login and middleware, interleaved request by request: `warm` as a member finds a page
again, `busy` after a booking's tables are bumped (the start of term: someone books every few
milliseconds), `cold` after every table's version is bumped (nothing remembered). Then it multiplies
the history (`--scale`: past sessions copied with their bookings and feedback, new students)
and measures again. Figures are ratios, so the
hardware cancels out. Budgets (issue 16): student and tutor pages <= 5x the minimal view,
committee pages <= 15x, and each page at scale <= 1.3x its own cost at demo size (the ratio to
the minimal view measured beside it, so load between the phases cancels out). Give it Redis
(`REDIS_URL=redis://127.0.0.1:6379/5`, a database of its own) to measure what production does.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import sessions_support as support

ROLES = {
    "student": "student@demo.meded.test",
    "tutor": "tutor@demo.meded.test",
    "committee": "committee@demo.meded.test",
}
BUDGET = {"student": 5.0, "tutor": 5.0, "committee": 15.0}
SKIP_PREFIXES = ("admin/", "accounts/", "bench/")  # allauth and the Django admin are not ours


def discover_pages() -> list[str]:
    """GET paths from the URL conf, filling <int:...> arguments from the demo's objects."""
    from django.urls import URLPattern, URLResolver, get_resolver

    ids = _demo_ids()
    paths: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern):
                path = _fill(route, ids)
                if path and not path.lstrip("/").startswith(SKIP_PREFIXES):
                    paths.append(path)

    walk(get_resolver().url_patterns, "/")
    return sorted(set(paths))


def _demo_ids() -> dict[str, int]:
    from sessions_app.models import Resource, Series, TeachingSession
    from tutors.models import Application, RecruitmentRound

    def first(qs):
        obj = qs.order_by("pk").first()
        return obj.pk if obj else None

    return {
        "sessions": first(TeachingSession.objects.filter(status="published")),
        "series": first(Series.objects.all()),
        "resources": first(Resource.objects.filter(status="published")),
        "rounds": first(RecruitmentRound.objects.all()),
        "applications": first(Application.objects.all()),
    }


def _fill(route: str, ids: dict[str, int | None]) -> str | None:
    """Replace each <conv:name> with a demo id chosen by the segment before it, or give up."""
    import re

    if "(" in route or "<str:" in route or "<path:" in route or "<slug:" in route:
        return None
    parts = route.split("/")
    out = []
    for i, part in enumerate(parts):
        if part.startswith("<int:"):
            before = parts[i - 1] if i else ""
            value = ids.get(before) or ids.get(before + "s")
            if value is None:
                return None
            out.append(str(value))
        else:
            out.append(part)
    path = "/".join(out)
    return None if re.search(r"[<>$^]", path) or path.endswith(".ics") else path


def _cpu(client, path: str) -> float:
    start = time.process_time()
    client.get(path)
    return (time.process_time() - start) * 1000


def cpu_ms(client, path: str, repeat: int) -> tuple[int, dict[str, float]]:
    """The page's status and its median CPU milliseconds over `repeat` requests, each beside a
    request of the minimal view (interleaved, so a change in the machine's load moves both):
    `warm` as a member finds it when they come back (what remember() and the process memos
    hold is there), `cold` with every table's version bumped before each request (every
    remembered value recomputed, as after a write to everything), and `ref`, the minimal
    view's median."""
    from django.db import connection

    from meded.remember import bump

    tables = connection.introspection.table_names()
    status = client.get(path).status_code  # warm the process, as a second visitor would find it
    if status != 200:  # not this role's page (403), or a form-only URL (405): not measured
        return status, {}
    ref, warm, busy, cold = [], [], [], []
    for _ in range(repeat):
        ref.append(_cpu(client, MINIMAL))
        warm.append(_cpu(client, path))
        bump(BUSY_TABLES)  # someone booked a place since
        ref.append(_cpu(client, MINIMAL))
        busy.append(_cpu(client, path))
        bump(tables)  # every remembered value is out of date now
        ref.append(_cpu(client, MINIMAL))
        cold.append(_cpu(client, path))
    median = statistics.median
    return status, {
        "warm": median(warm),
        "busy": median(busy),
        "cold": median(cold),
        "ref": median(ref),
    }


BUSY_TABLES: set[str] = set()


def booking_tables() -> set[str]:
    """The tables one real booking writes (seen at the cursor, as remember() sees them): at the
    start of term they are written every few milliseconds, so a page that reads them is found
    as after such a write ("busy")."""
    from django.db import connection, transaction
    from django.utils import timezone

    from meded.models import User
    from sessions_app.booking.services import book
    from sessions_app.models import Booking, TeachingSession

    now = timezone.now()
    booked = Booking.objects.values("session")
    candidates = TeachingSession.objects.filter(
        status=TeachingSession.Status.PUBLISHED, starts_at__gt=now, capacity__isnull=False
    ).order_by("starts_at")
    with transaction.atomic():
        for session in candidates[:20]:
            if session.bookability(now):
                continue
            student = User.objects.exclude(pk__in=booked.filter(session=session)).exclude(
                pk__in=session.tutors.values("pk")
            )[0]
            book(student, session)
            break
        _hooks, hook = connection._meded_bump
        tables = set(hook.tables)
        transaction.set_rollback(True)
    return tables


MINIMAL = "/bench/minimal-signed-in/"


def measure(repeat: int, only: str) -> dict[tuple[str, str], dict[str, float]]:
    import logging

    from django.test import Client

    from meded.models import User

    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # 403s of other roles' pages
    pages = [p for p in discover_pages() if re.match(only, p)]
    figures: dict[tuple[str, str], dict[str, float]] = {}
    for role, email in ROLES.items():
        client = Client(HTTP_HOST=support.HOST)
        client.force_login(User.objects.get(email=email))
        for path in pages:
            status, ms = cpu_ms(client, path, repeat)
            if status == 200:
                figures[(path, role)] = ms
    return figures


def grow_history(scale: int) -> None:
    """Copy every past session `scale - 1` times with its bookings and feedback (bench data in a
    throw-away database: rows are copied as they are, so every copy is a state the services
    reached once)."""
    from django.db import transaction
    from django.utils import timezone

    from feedback.models import Answer, HasAnswered, Response
    from sessions_app.models import Booking, TeachingSession
    from sessions_app.scheduling.models import new_checkin_code

    past = list(
        TeachingSession.objects.filter(ends_at__lt=timezone.now()).prefetch_related(
            "tutors", "target_years"
        )
    )
    with transaction.atomic():
        for copy in range(1, scale):
            for session in past:
                bookings = list(Booking.objects.filter(session=session))
                responses = list(Response.objects.filter(session=session))
                answers = list(Answer.objects.filter(response__session=session))
                answered = list(HasAnswered.objects.filter(session=session))
                tutors, years = list(session.tutors.all()), list(session.target_years.all())
                shift = timezone.timedelta(days=7 * copy)
                session.pk = None
                session.starts_at -= shift
                session.ends_at -= shift
                session.checkin_code = new_checkin_code()  # a fresh code fits the column
                session.save()
                session.tutors.set(tutors)
                session.target_years.set(years)
                for row in bookings + answered:
                    row.pk, row.session_id = None, session.pk
                Booking.objects.bulk_create(bookings)
                HasAnswered.objects.bulk_create(answered)
                old_to_new = {}
                for r in responses:
                    old = r.pk
                    r.pk = r._meta.pk.get_default() if r._meta.pk.has_default() else None
                    r.session_id = session.pk
                    old_to_new[old] = r
                Response.objects.bulk_create(responses)
                for a in answers:
                    a.pk = a._meta.pk.get_default() if a._meta.pk.has_default() else None
                    a.response_id = old_to_new[a.response_id].pk
                Answer.objects.bulk_create(answers)


def ratio(ms: dict[str, float], kind: str = "warm") -> float:
    return ms[kind] / ms["ref"] if ms["ref"] else 0.0


def report(title: str, figures: dict[tuple[str, str], dict[str, float]]) -> None:
    print(f"\n{title}")
    print(
        f"{'page':48} {'role':9} {'ref ms':>6} {'warm ms':>8} {'ratio':>6} "
        f"{'busy ms':>8} {'ratio':>6} {'cold ms':>8} {'ratio':>6}  budget (warm, busy, cold)"
    )
    over = {"warm": 0, "busy": 0, "cold": 0}
    for (path, role), ms in sorted(figures.items(), key=lambda kv: (kv[0][1], -ratio(kv[1]))):
        flags = []
        for kind in over:
            ok = ratio(ms, kind) <= BUDGET[role]
            over[kind] += not ok
            flags.append("ok" if ok else "OVER")
        print(
            f"{path[:48]:48} {role:9} {ms['ref']:6.2f} {ms['warm']:8.1f} {ratio(ms):5.1f}x "
            f"{ms['busy']:8.1f} {ratio(ms, 'busy'):5.1f}x "
            f"{ms['cold']:8.1f} {ratio(ms, 'cold'):5.1f}x  {' '.join(flags)}"
        )
    print(
        f"over budget: {over['warm']} warm, {over['busy']} busy, {over['cold']} cold, "
        f"of {len(figures)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=10, help="history multiplier (1: demo only)")
    parser.add_argument("--repeat", type=int, default=5, help="requests per page and role")
    parser.add_argument(
        "--only", default="/", help="only paths matching this at their start (a regex: '/$')"
    )
    args = parser.parse_args()
    if not support.need_postgres("bench/pages.py"):
        sys.exit(2)
    with support.bench_database("bench_pages"):
        from django.core.management import call_command

        flags = ["--allow-production"] if _seed_needs_flag() else []
        call_command("seed_demo", *flags, verbosity=0)
        print(f"machine: {support.machine()}")
        BUSY_TABLES.update(booking_tables())
        print(f"busy: before each request, the tables a booking writes: {sorted(BUSY_TABLES)}")
        demo = measure(args.repeat, args.only)
        report("demo size (seed_demo)", demo)
        if args.scale > 1:
            grow_history(args.scale)
            scaled = measure(args.repeat, args.only)
            report(f"{args.scale}x the history", scaled)
            # growth of each page's ratio to the minimal view measured beside it: the machine's
            # load between the two phases cancels out
            print(f"\n{'page':56} {'role':9} {'warm growth':>12} {'cold growth':>12}  budget 1.3x")
            over = 0
            for key, ms in sorted(scaled.items()):
                if key in demo and ratio(demo[key]) and ratio(demo[key], "cold"):
                    warm = ratio(ms) / ratio(demo[key])
                    cold = ratio(ms, "cold") / ratio(demo[key], "cold")
                    flag = "ok" if max(warm, cold) <= 1.3 else "OVER"
                    over += flag == "OVER"
                    print(f"{key[0][:56]:56} {key[1]:9} {warm:11.2f}x {cold:11.2f}x  {flag}")
            print(f"growth over budget: {over} of {len(scaled)}")


def _seed_needs_flag() -> bool:
    """seed_demo refuses with DEBUG off unless told explicitly (issue 17), where that rule is."""
    from django.core.management import get_commands, load_command_class

    command = load_command_class(get_commands()["seed_demo"], "seed_demo")
    parser = command.create_parser("manage.py", "seed_demo")
    return any("--allow-production" in a.option_strings for a in parser._actions)


if __name__ == "__main__":
    main()
