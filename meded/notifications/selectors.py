"""Read queries: which optional emails a member receives, and the sent log (committee outbox)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Min, Q, QuerySet

from meded.accounts.models import User

from .kinds import CATEGORIES, counted_kinds
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

    The list never shows bodies or attachments, so they stay in the database, nor any email of a
    counted kind (feedback requests and reminders): those appear only in `counted_emails`.
    """
    emails = (
        SentEmail.objects.defer("body_text", "body_html", "headers", "attachments")
        .exclude(kind__in=counted_kinds())
        .order_by("-created_at", "-pk")
    )
    return _filtered(emails, kind=kind, status=status, since=since, until=until)


def counted_emails(
    *,
    kind: str = "",
    status: str = "",
    since: date | None = None,
    until: date | None = None,
) -> list[dict]:
    """Counted kinds as one row per (object, kind): how many were sent, failed or not sent, and
    when the first and last went out (the day only), never to whom."""
    emails = _filtered(
        SentEmail.objects.filter(kind__in=counted_kinds()),
        kind=kind,
        status=status,
        since=since,
        until=until,
    )
    return list(
        emails.values("object_key", "kind")
        .annotate(
            subject=Min("subject"),
            total=Count("pk"),
            sent=Count("pk", filter=Q(status=SentEmail.Status.SENT)),
            failed=Count("pk", filter=Q(status=SentEmail.Status.FAILED)),
            first=Min("created_at__date"),
        )
        .order_by("-first", "object_key", "kind")
    )


def _filtered(emails, *, kind="", status="", since=None, until=None):
    if kind:
        emails = emails.filter(kind=kind)
    if status:
        emails = emails.filter(status=status)
    if since:
        emails = emails.filter(created_at__date__gte=since)
    if until:
        emails = emails.filter(created_at__date__lte=until)
    return emails
