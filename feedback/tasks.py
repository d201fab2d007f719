"""Feedback's periodic work for Celery beat: thin, the service decides what is due."""

from celery import shared_task

from feedback.emails import send_due_feedback_requests


@shared_task(ignore_result=True)
def send_feedback_requests() -> int:
    """Ask attendees and recording viewers for feedback, and remind once (idempotent)."""
    return send_due_feedback_requests()
