from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from meded import demo


class Command(BaseCommand):
    help = "Build the demo society (deterministic, idempotent: running it twice leaves one copy)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even though DEBUG is off (a staging copy; never a live society).",
        )

    def handle(self, **options):
        if not settings.MEDED_DEMO_ALLOWED and not options["allow_production"]:
            raise CommandError(
                "Refusing to seed the demo society with DEBUG off: it creates committee accounts "
                "with a published password. Pass --allow-production for a staging copy."
            )
        result = demo.seed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo society ready: {len(result.students)} students, "
                f"{len(result.tutors)} tutors, {len(result.committee)} committee members."
            )
        )
        self.stdout.write("Sign in at http://127.0.0.1:8000/accounts/login/ with:")
        for email, role in [
            (demo.STUDENT_EMAIL, "student"),
            (demo.TUTOR_EMAIL, "tutor (accepted in the current round)"),
            (demo.COMMITTEE_EMAIL, "committee"),
        ]:
            self.stdout.write(f"  {email:32} {role}")
        self.stdout.write(f"  password for all three: {demo.DEMO_PASSWORD}")
