from django.core.management.base import BaseCommand

from meded import demo


class Command(BaseCommand):
    help = "Build the demo society (deterministic, idempotent: running it twice leaves one copy)."

    def handle(self, **options):
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
