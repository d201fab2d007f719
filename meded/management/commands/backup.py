"""`manage.py backup DIR`: the database and the private files, together, into a new folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meded.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump, or SQLite's backup API) and private files into DIR."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="A new or empty folder.")

    def handle(self, folder, **options):
        try:
            manifest = backup(folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up the {manifest['engine']} database and files into {folder}")
