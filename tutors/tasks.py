"""The tutors app's periodic work for Celery beat: thin, the service decides what is due."""

from celery import shared_task

from tutors.allocation.services.ranking import send_ranking_reminders


@shared_task(ignore_result=True)
def ranking_deadline_reminder() -> int:
    """Remind tutors who have not ranked, 48 hours before the window closes (idempotent)."""
    return send_ranking_reminders()
