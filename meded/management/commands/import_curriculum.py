from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meded.curriculum.services import CurriculumImportError, import_curriculum


class Command(BaseCommand):
    help = (
        "Import curriculum topics from CSV (code,title,module,years[,description]); all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_file")

    def handle(self, csv_file, **options):
        path = Path(csv_file)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: cannot read the file ({exc})") from exc
        try:
            result = import_curriculum(text)
        except CurriculumImportError as exc:
            for error in exc.errors:
                self.stderr.write(f"{path}:{error.line}: {error.message}")
            raise CommandError(
                f"{path}: {len(exc.errors)} problem(s) found; nothing was imported."
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{path}: {result.created} topic(s) created, {result.updated} updated, "
                f"{len(result.modules_created)} new module(s)."
            )
        )
