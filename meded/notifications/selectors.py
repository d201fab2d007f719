"""Read queries over the sent log (the committee outbox)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from meded.models import SentEmail


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
