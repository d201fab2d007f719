"""`manage.py restore DIR`: put back a folder written by `manage.py backup`. It replaces the
database's contents, so it asks first (unless --no-input); stop the web and worker processes
while it runs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meded.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore the database and private files from a folder written by `backup`."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--no-input", "--noinput", action="store_false", dest="interactive", default=True
        )

    def handle(self, folder, interactive, **options):
        if interactive:
            answer = input("This replaces everything in the database. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing changed.")
        try:
            manifest = restore(folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored the backup of {manifest['created_at']} from {folder}")
