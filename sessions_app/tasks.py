"""The sessions app's periodic work as Celery tasks for beat (see CELERY_BEAT_SCHEDULE).

Each task only calls its service, which derives from the database what is due, so a missed or
repeated run is harmless. The same service functions are `periodic_task` receivers (apps.py),
so `send_due_emails` and the in-process runner of `make run` do this work too.
"""

from celery import shared_task

from sessions_app.booking import reminders, waitlist
from sessions_app.resources import services as resources


@shared_task(ignore_result=True)
def send_session_reminders() -> int:
    return reminders.send_reminders()


@shared_task(ignore_result=True)
def expire_waitlist_offers() -> int:
    return waitlist.expire_offers()


@shared_task(ignore_result=True)
def promote_waitlists() -> int:
    return waitlist.promote_waiting()


@shared_task(ignore_result=True)
def send_slides_reminders() -> int:
    return resources.send_slides_reminders()
