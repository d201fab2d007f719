"""Shared by bench/sessions_list.py and bench/booking.py: a throw-away PostgreSQL database,
gunicorn on a loopback port, signed-in clients, and a bounded load loop (threads).

Every request goes to 127.0.0.1 only; every loop is bounded in time and count.
"""

from __future__ import annotations

import http.client
import os
import platform
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"
# The benchmark process (which signs session cookies) and gunicorn share these settings.
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.sessions_bench_settings",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
    "SECURE_HTTPS": "false",
    "ALLOWED_HOSTS": HOST,
    "EMAIL_URL": "dummymail://",  # production refuses to start without one; benches send none
}
os.environ.update(BENCH_ENV)
CSRF = "b" * 32  # an unmasked CSRF secret: cookie and header carry the same value
MAX_REQUESTS = 200_000  # hard cap on any load loop


def need_postgres(name: str) -> bool:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print(f"{name} needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/meded")
        return False
    return True


@contextmanager
def bench_database(suffix: str):
    """A fresh database <name>_<suffix>, migrated, dropped at the end."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    db = settings.DATABASES["default"]
    db.setdefault("TEST", {})["NAME"] = f"{db['NAME']}_{suffix}"
    old_name = db["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        yield db["NAME"]
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(db_name: str, workers: int | None = None):
    """gunicorn meded.wsgi with the production config (deploy/gunicorn.conf.py: gthread
    workers), DEBUG off, on this database."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST'] or HOST}:{db['PORT'] or 5432}/{db_name}"
    if db.get("PASSWORD"):
        url = url.replace("@", f":{db['PASSWORD']}@", 1)
    port = free_port()
    env = {
        **os.environ,
        **BENCH_ENV,
        "DATABASE_URL": url,
        "PYTHONPATH": str(ROOT),
    }
    cmd = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--config",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
        "meded.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        *(["--workers", str(workers)] if workers else []),
        "--access-logfile",
        "/dev/null",
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        deadline = time.time() + 180  # a loaded machine imports Django slowly
        while time.time() < deadline:
            try:
                status, _ = request(port, "GET", "/bench/minimal/")
                if status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def server() -> str:
    """How gunicorn runs here (deploy/gunicorn.conf.py as production reads it)."""
    import runpy

    conf = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    return f"gunicorn {conf['workers']} {conf['worker_class']} workers x {conf['threads']} threads"


def session_cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF}"


def request(port: int, method: str, path: str, cookie: str = "") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    if method == "POST":
        headers.update({"X-CSRFToken": CSRF, "Content-Length": "0"})
    try:
        conn.request(method, path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@dataclass
class LoadResult:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    statuses: dict = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def load(
    port: int,
    path: str,
    cookie: str,
    *,
    concurrency: int = 16,
    seconds: float = 5.0,
    expect: int = 200,
) -> LoadResult:
    """GET path from `concurrency` threads for `seconds` (bounded by MAX_REQUESTS)."""
    result = LoadResult()
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker():
        n = errors = 0
        while time.perf_counter() < stop and result.requests + n < MAX_REQUESTS:
            try:
                status, _ = request(port, "GET", path, cookie)
                errors += status != expect
            except OSError:
                errors += 1
            n += 1
        with lock:
            result.requests += n
            result.errors += errors

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - start
    return result


def machine() -> str:
    return f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs"
