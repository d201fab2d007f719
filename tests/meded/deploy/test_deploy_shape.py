"""The production shape as shipped: what docker-compose.yml, the override, nginx and the image
contain, read from the files themselves."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
SECRETS = ("SECRET_KEY", "EMAIL_URL", "DATABASE_URL", "ALLOWED_HOSTS", "MEDED_EMAIL_DOMAINS")
APP_SERVICES = ("web", "worker", "beat")


def _compose(name: str) -> dict:
    return yaml.safe_load((ROOT / name).read_text())


@pytest.fixture(scope="module")
def production():
    return _compose("docker-compose.yml")


@pytest.fixture(scope="module")
def development():
    return _compose("docker-compose.override.yml")


def test_only_the_tls_proxy_is_published_in_production(production):
    published = {name for name, svc in production["services"].items() if svc.get("ports")}
    assert published == {"proxy"}
    assert sorted(production["services"]["proxy"]["ports"]) == ["443:443", "80:80"]
    assert "ports" not in production["services"]["web"]  # gunicorn only behind the proxy
    assert production["services"]["web"]["expose"] == ["8000"]


def test_no_mail_catcher_in_production(production):
    images = [svc.get("image", "") for svc in production["services"].values()]
    assert not [image for image in images if "mailpit" in image or "mailhog" in image]
    assert "mailpit" not in yaml.safe_dump(production["services"])


@pytest.mark.parametrize("service", APP_SERVICES)
def test_secrets_and_email_come_from_the_environment_only(production, service):
    environment = production["services"][service]["environment"]
    for name in SECRETS:
        # A bare key: compose passes the value through from .env / the shell; no default here.
        assert name in environment and environment[name] is None, name
    assert environment["DEBUG"] == "false"


def test_postgres_password_is_not_shipped(production):
    assert production["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"] is None


def test_the_app_trusts_exactly_the_one_proxy_and_hands_files_to_it(production):
    environment = production["services"]["web"]["environment"]
    assert environment["MEDED_TRUSTED_PROXY_COUNT"] == "1"
    prefix = environment["MEDED_X_ACCEL_REDIRECT_PREFIX"]
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    block = nginx.split(f"location {prefix} {{", 1)[1].split("}", 1)[0]
    assert "internal;" in block
    assert "alias /srv/private-media/;" in block
    proxy_volumes = production["services"]["proxy"]["volumes"]
    assert "media:/srv/private-media:ro" in proxy_volumes
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in proxy_volumes


def test_nginx_speaks_tls_limits_bodies_and_sets_the_forwarded_headers():
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "listen 443 ssl;" in nginx
    assert "return 301 https://$host$request_uri;" in nginx
    assert "client_max_body_size 2100m;" in nginx
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx
    assert "server_tokens off;" in nginx


def test_the_development_override_keeps_its_conveniences_on_the_loopback(development):
    services = development["services"]
    assert services["mailpit"]["ports"] == ["127.0.0.1:8025:8025"]
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]
    assert services["web"]["environment"]["EMAIL_URL"] == "smtp://mailpit:1025"
    assert services["proxy"]["profiles"] == ["production"]  # no certificates on a laptop


@pytest.mark.parametrize(
    "path", [".env", "db.sqlite3", "private-media/", ".venv/", ".git/", ".hypothesis/"]
)
def test_the_image_never_takes_local_secrets_or_data(path):
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert path in ignored


def _settings_in_subprocess(expression: str, **env) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with this environment (no .env file read)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MEDED_", "SECURE_"))}
    clean.update(
        DJANGO_SETTINGS_MODULE="meded.settings",
        DEBUG="false",
        SECRET_KEY="s" * 50,
        ALLOWED_HOSTS="meded.example.org",
        EMAIL_URL="smtp+tls://mail.example.org:587",
    )
    clean.pop("DATABASE_URL", None)
    clean.update(env)
    clean = {k: v for k, v in clean.items() if v is not None}
    code = f"from django.conf import settings; print(repr({expression}))"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_production_without_an_smtp_server_refuses_to_start():
    run = _settings_in_subprocess("settings.EMAIL_BACKEND", EMAIL_URL=None)
    assert run.returncode != 0
    assert "EMAIL_URL must be set when DEBUG is false" in run.stderr


def test_forwarded_headers_are_believed_only_behind_a_declared_proxy():
    expression = (
        "(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None), settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    )
    alone = _settings_in_subprocess(expression)
    assert alone.stdout.strip() == "(None, 0)", alone.stderr
    behind = _settings_in_subprocess(expression, MEDED_TRUSTED_PROXY_COUNT="1")
    assert behind.stdout.strip() == "(('HTTP_X_FORWARDED_PROTO', 'https'), 1)", behind.stderr


@pytest.mark.redis
def test_a_full_redis_evicts_cached_pages_never_the_queue(production, tmp_path):
    """Redis is broker and cache at once: run the shipped command (with a tiny memory limit) and
    fill it with expiring cache entries; the queue's keys (no expiry) must all survive."""
    import shutil
    import socket
    import time

    import redis

    server = shutil.which("redis-server")
    assert server, "redis-server is needed (the CI machine runs Redis)"
    args = production["services"]["redis"]["command"].split()[1:]
    args[args.index("--maxmemory") + 1] = "3mb"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [server, *args, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    try:
        client = redis.Redis(port=port)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        client.rpush("celery", *[f"task-{n}" for n in range(200)])
        for n in range(5000):
            client.set(f":1:rm:page:{n}", "x" * 1000, ex=300)
        assert client.llen("celery") == 200
        assert client.dbsize() < 5000  # the cache was trimmed to fit
    finally:
        proc.terminate()
        proc.wait(10)
