"""Run the periodic work once, in this process: for the embedded defaults (no broker, so no beat)
and for hosts that prefer cron to Celery beat. It sends `periodic_task` (every app's "what is
due" receiver, each guarded on its own) and retries stuck emails. Safe to run as often as you
like."""

from django.core.management.base import BaseCommand

from meded.notifications.tasks import dispatch_due, retry_stuck


class Command(BaseCommand):
    help = "Derive from the database which emails are due, queue them, and retry stuck ones."

    def handle(self, **options):
        counts = dispatch_due()
        requeued = retry_stuck()
        for name, count in sorted(counts.items()):
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(f"retried: {requeued}")
