"""`manage.py backup DIR` then a restore into a fresh database: the data and the private files
are all there. On PostgreSQL (pg_dump/pg_restore) and on SQLite (its backup API)."""

from __future__ import annotations

import secrets
import sqlite3
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from meded.backup import restore
from tests.factories.core import UserFactory
from tests.factories.sessions import BookingFactory


def _fresh_database(tmp_path: Path) -> dict:
    current = connection.settings_dict
    if connection.vendor == "postgresql":
        name = f"meded_restore_{secrets.token_hex(4)}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        return {**current, "NAME": name}
    return {**current, "NAME": str(tmp_path / "fresh.sqlite3")}


def _drop(database: dict) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}" WITH (FORCE)')


def _query(database: dict, sql: str) -> list[tuple]:
    if connection.vendor == "postgresql":
        import psycopg2

        with (
            psycopg2.connect(
                dbname=database["NAME"],
                host=database.get("HOST") or None,
                port=database.get("PORT") or None,
                user=database.get("USER") or None,
                password=database.get("PASSWORD") or None,
            ) as restored,
            restored.cursor() as cursor,
        ):
            cursor.execute(sql)
            return cursor.fetchall()
    with sqlite3.connect(database["NAME"]) as restored:
        return restored.execute(sql).fetchall()


def _round_trip(tmp_path: Path) -> None:
    booking = BookingFactory(student=UserFactory(email="kept.safe@demo.meded.test"))
    stored = default_storage.save("tutors/applications/1/cv.pdf", ContentFile(b"%PDF-1.4 cv"))
    call_command("backup", str(tmp_path / "backup"))
    fresh = _fresh_database(tmp_path)
    try:
        restore(tmp_path / "backup", database=fresh, media_root=tmp_path / "restored-media")
        emails = _query(fresh, "SELECT email FROM meded_user")
        bookings = _query(
            fresh, f"SELECT student_id FROM sessions_app_booking WHERE id = {booking.pk}"
        )
    finally:
        _drop(fresh)
    assert ("kept.safe@demo.meded.test",) in emails
    assert bookings == [(booking.student_id,)]
    assert (tmp_path / "restored-media" / stored).read_bytes() == b"%PDF-1.4 cv"


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database(tmp_path):
    _round_trip(tmp_path)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restores_into_a_fresh_database(tmp_path):
    assert connection.vendor == "postgresql"
    _round_trip(tmp_path)


@pytest.mark.django_db
def test_restore_refuses_a_folder_that_is_no_backup_and_backup_an_occupied_one(tmp_path):
    (tmp_path / "notes.txt").write_text("not a backup")
    with pytest.raises(CommandError, match="holds no backup"):
        call_command("restore", str(tmp_path), "--no-input")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", str(tmp_path))
