"""`manage.py import_questions FILE.csv [--publish]`: a question bank from CSV, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meded.accounts.models import User
from meded.roles import COMMITTEE_GROUP
from sessions_app.questions.importing import QuestionImportError, import_questions


class Command(BaseCommand):
    help = (
        "Import single-best-answer questions from CSV (topic_code,stem,option_a..option_e,"
        "answer,explanation); any bad row and nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_file")
        parser.add_argument(
            "--publish", action="store_true", help="Publish at once instead of sending to review."
        )
        parser.add_argument(
            "--author", help="Email of the member recorded as author (default: a committee member)."
        )

    def _author(self, email):
        if email:
            author = User.objects.filter(email__iexact=email).first()
            if author is None:
                raise CommandError(f"No member with the email {email}.")
            return author
        author = (
            User.objects.filter(is_superuser=True).order_by("pk").first()
            or User.objects.filter(groups__name=COMMITTEE_GROUP).order_by("pk").first()
        )
        if author is None:
            raise CommandError("No committee member to record as author; pass --author EMAIL.")
        return author

    def handle(self, csv_file, publish=False, author=None, **options):
        path = Path(csv_file)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: cannot read the file ({exc})") from exc
        member = self._author(author)
        try:
            added = import_questions(text, member, publish=publish)
        except QuestionImportError as exc:
            for problem in exc.problems:
                self.stderr.write(f"{path}:{problem.line}: {problem.message}")
            raise CommandError(
                f"{path}: {len(exc.problems)} problem(s) found; nothing was imported."
            ) from exc
        state = "published" if publish else "awaiting review"
        self.stdout.write(self.style.SUCCESS(f"{path}: {added} question(s) added, {state}."))
