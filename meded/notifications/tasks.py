"""Celery tasks: thin wrappers over delivery and the registered "what is due" jobs.

Every task is safe to run twice or concurrently: delivery claims its row with a lock, and due
jobs go through notify(), which writes at most one row per (recipient, kind, object).
"""

import logging

from celery import shared_task

from . import delivery
from .kinds import due_jobs

log = logging.getLogger(__name__)


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
    """Derive from the database what is due now and notify; safe to overlap or repeat."""
    counts = {}
    for name, job in due_jobs().items():
        try:
            counts[name] = job()
        except Exception:  # one broken job must not stop the others
            log.exception("due job %s failed", name)
    return counts


@shared_task(ignore_result=True)
def retry_stuck() -> int:
    """Queue again what the broker lost or a dead worker left half-done."""
    ids = delivery.requeue_lost()
    for pk in ids:
        deliver_email.delay(pk)
    return len(ids)
