"""Remove what the privacy notice says is kept only for a time (meded/privacy.py), now. The
periodic work runs the same thing on every pass; this is for cron hosts and for checking."""

from django.core.management.base import BaseCommand

from meded.privacy import apply_retention, retention_periods


class Command(BaseCommand):
    help = "Delete what is kept only for a time (MEDED_RETENTION_* settings)."

    def handle(self, **options):
        for period in retention_periods():
            self.stdout.write(f"{period.what}: kept {period.months} months")
        removed = apply_retention()
        self.stdout.write(f"removed: {removed}")
