"""Backups: the database and the private files together, into one folder, and back.

PostgreSQL goes through `pg_dump -Fc` / `pg_restore --clean` (consistent while the site runs);
SQLite through its online backup API (a page-by-page copy, safe while the site runs). Private
files (MEDIA_ROOT, local storage only: S3 buckets have their own versioning) go into a tar.
A manifest says what the folder holds, so `restore` refuses a folder that is not a backup.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from meded.errors import DomainError

MANIFEST = "manifest.json"
MEDIA = "media.tar.gz"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


class BackupError(DomainError):
    pass


def _engine(database: dict) -> str:
    engine = database["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine}.")


def _pg(database: dict) -> tuple[list[str], dict[str, str]]:
    """Connection options for the PostgreSQL tools, and the environment holding the password."""
    args = ["--dbname", database["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            args += [option, str(database[key])]
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed on this machine.") from exc
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:2000]}")


def _media_root() -> Path | None:
    backend = settings.STORAGES["default"]["BACKEND"]
    return Path(settings.MEDIA_ROOT) if backend.endswith("FileSystemStorage") else None


def backup(folder: Path, database: dict | None = None) -> dict:
    """Write the database and the private files into `folder` (created; must be empty)."""
    database = database or settings.DATABASES["default"]
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: back up into a new folder.")
    folder.mkdir(parents=True, exist_ok=True)
    engine = _engine(database)
    if engine == "postgresql":
        args, env = _pg(database)
        _run(["pg_dump", "--format=custom", "--file", str(folder / POSTGRES_DUMP), *args], env)
        database_file = POSTGRES_DUMP
    else:
        with sqlite3.connect(folder / SQLITE_COPY) as target:
            _sqlite_source(database).backup(target)
        database_file = SQLITE_COPY
    media = _media_root()
    if media is not None:
        with tarfile.open(folder / MEDIA, "w:gz") as archive:
            if media.exists():
                archive.add(media, arcname=".")
    manifest = {
        "created_at": timezone.now().isoformat(),
        "engine": engine,
        "database": database_file,
        "media": MEDIA if media is not None else None,
        "last_migration": _last_migration(),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def restore(folder: Path, database: dict | None = None, media_root: Path | None = None) -> dict:
    """Replace the database's contents and add the private files from a backup folder."""
    database = database or settings.DATABASES["default"]
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder} holds no backup ({MANIFEST} is missing or broken).") from exc
    engine = _engine(database)
    if manifest.get("engine") != engine:
        raise BackupError(
            f"This backup is of a {manifest.get('engine')} database; this site uses {engine}."
        )
    if engine == "postgresql":
        args, env = _pg(database)
        dump = str(folder / POSTGRES_DUMP)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", *args, dump], env)
    else:
        with sqlite3.connect(folder / SQLITE_COPY) as source:
            source.backup(_sqlite_source(database))
    media = media_root or _media_root()
    if manifest.get("media") and media is not None:
        media.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / MEDIA, "r:gz") as archive:
            archive.extractall(media, filter="data")  # no paths outside MEDIA_ROOT
    return manifest


def _sqlite_source(database: dict) -> sqlite3.Connection:
    """The live connection when it is this site's database (also an in-memory test database),
    else a connection to the named file."""
    if database is settings.DATABASES["default"]:
        connection.ensure_connection()
        return connection.connection
    return sqlite3.connect(database["NAME"])


def _last_migration() -> str:
    last = MigrationRecorder.Migration.objects.order_by("-applied").first()
    return f"{last.app}.{last.name}" if last else ""
