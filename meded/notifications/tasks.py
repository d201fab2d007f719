"""Celery tasks of the core: deliver one email, run the periodic work, retry what was lost.

Thin wrappers: delivery claims its row with a lock, and periodic receivers go through notify(),
which writes at most one row per (recipient, kind, object), so every task is safe to run twice
or concurrently. Beat runs `retry_stuck` every minute; `dispatch_due` runs every app's
periodic work at once (each app also has its own beat entries).
"""

from celery import shared_task

from meded.periodic import run_periodic_tasks

from . import delivery


@shared_task(bind=True, acks_late=True, max_retries=delivery.MAX_ATTEMPTS, ignore_result=True)
def deliver_email(self, sent_email_id: int) -> str:
    outcome = delivery.deliver(sent_email_id)
    if outcome is delivery.Outcome.RETRY and not self.request.is_eager:
        # The row is queued again with next_attempt_at; if this retry message is lost,
        # retry_stuck finds the row in the database.
        countdown = delivery.backoff_seconds(self.request.retries + 1)
        raise self.retry(countdown=countdown, max_retries=delivery.MAX_ATTEMPTS)
    return outcome.value


@shared_task(ignore_result=True)
def dispatch_due() -> dict[str, int]:
    """Send `periodic_task`: every app derives from the database what is due now and acts."""
    return run_periodic_tasks()


@shared_task(ignore_result=True)
def retry_stuck() -> int:
    """Queue again what the broker lost or a dead worker left half-done."""
    ids = delivery.requeue_lost()
    for pk in ids:
        deliver_email.delay(pk)
    return len(ids)


@shared_task(ignore_result=True)
def release_mailings() -> int:
    """Queue the held mass emails whose undo window (or chosen time) has ended."""
    from .mailings import release_due

    return release_due()
