"""Read queries: which optional emails a member receives, and the sent log (committee outbox)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from meded.accounts.models import User

from .kinds import CATEGORIES
from .models import EmailPreference, SentEmail


def enabled_categories(user: User) -> set[str]:
    off = set(
        EmailPreference.objects.filter(user=user, enabled=False).values_list("category", flat=True)
    )
    return {c for c in CATEGORIES if c not in off}


def is_enabled(user: User | int, category: str | None) -> bool:
    """Transactional kinds (category None) are always on; optional ones unless turned off."""
    if category is None:
        return True
    return not EmailPreference.objects.filter(user=user, category=category, enabled=False).exists()


def outbox_emails(
    *,
    kind: str = "",
    status: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[SentEmail]:
    """The sent log newest first, filtered; dates are days in the society's time zone.

    The list never shows bodies or attachments, so they stay in the database.
    """
    emails = SentEmail.objects.defer("body_text", "body_html", "headers", "attachments").order_by(
        "-created_at", "-pk"
    )
    if kind:
        emails = emails.filter(kind=kind)
    if status:
        emails = emails.filter(status=status)
    if since:
        emails = emails.filter(created_at__date__gte=since)
    if until:
        emails = emails.filter(created_at__date__lte=until)
    return emails
