"""What the society keeps only for a time, and for how long: one list, read by the privacy
notice (/privacy/) and applied by `manage.py apply_retention` and the periodic work.

Each app removes its own part through the `apply_retention` signal (meded/signals.py); the
periods come from settings (MEDED_RETENTION_*), so the notice and the deletions never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from meded.signals import apply_retention as apply_retention_signal


@dataclass(frozen=True)
class Retention:
    what: str
    months: int
    then: str


def retention_periods() -> list[Retention]:
    """The periods the privacy notice states, from settings."""
    return [
        Retention(
            "CVs and other files uploaded with an unsuccessful tutor application",
            settings.MEDED_RETENTION_UNSUCCESSFUL_MONTHS,
            "after the decision is released, the files are deleted; the decision and scores "
            "stay for the round's records",
        ),
        Retention(
            "The text of emails we sent you",
            settings.MEDED_RETENTION_EMAIL_MONTHS,
            "after sending, the subject and body are deleted; a line saying that an email of "
            "that kind was sent stays so that nothing is sent twice",
        ),
    ]


def apply_retention(now: datetime | None = None, **kwargs) -> int:
    """Remove everything whose period has run out; returns how many things were removed.
    Connected to `periodic_task`, and run by `manage.py apply_retention`."""
    now = now or timezone.now()
    done = 0
    for _receiver, count in apply_retention_signal.send(sender=None, now=now):
        done += count or 0
    return done


def months_before(now: datetime, months: int) -> datetime:
    """The same wall-clock time `months` earlier in the society's time zone, so a period ends
    at the hour it began also across a GMT/BST change."""
    return timezone.localtime(now) - relativedelta(months=months)


def remove_files_after_commit(names: list[str]) -> None:
    """Delete stored files once the transaction that let go of them commits (no file work
    under a lock, and nothing deleted if the transaction rolls back)."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: _remove(names))


def _remove(names: list[str]) -> None:
    for name in names:
        if default_storage.exists(name):
            default_storage.delete(name)


def forget_old_emails(now: datetime, **kwargs) -> int:
    """The core's part: the letters of emails sent more than MEDED_RETENTION_EMAIL_MONTHS ago."""
    from meded.notifications.models import SentEmail

    cutoff = months_before(now, settings.MEDED_RETENTION_EMAIL_MONTHS)
    old = SentEmail.objects.filter(sent_at__lt=cutoff).exclude(subject="", body_text="")
    return old.update(subject="", body_text="", body_html="", headers={}, attachments=[])
