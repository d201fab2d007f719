"""Read queries: which optional emails a member receives, and the sent log (committee outbox)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.db.models import Count, Min, Q, QuerySet

from meded.accounts.models import User

from .kinds import CATEGORIES, counted_kinds, get_kind, object_title_loader
from .models import EmailPreference, Mailing, SentEmail


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
        .select_related("mailing")
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


def failed_email_count() -> int:
    """Emails that failed for good and wait for the committee to resend them."""
    return SentEmail.objects.filter(status=SentEmail.Status.FAILED).count()


def kind_label(kind: str) -> str:
    """The kind's description in the society's words (the code name only if unregistered)."""
    try:
        return get_kind(kind).description
    except LookupError:
        return kind.replace("_", " ").capitalize()


def _split_key(key: str) -> tuple[str, int] | None:
    """ "sessions_app.booking:42:offer" -> ("sessions_app.booking", 42)."""
    label, _, rest = key.partition(":")
    pk = rest.split(":", 1)[0]
    if "." not in label or not pk.isdigit():
        return None
    return label, int(pk)


def object_titles(keys: list[str]) -> dict[str, str]:
    """What each object key is about, as the committee would say it: one query per model."""
    by_label: dict[str, set[int]] = {}
    for key in keys:
        split = _split_key(key)
        if split:
            by_label.setdefault(split[0], set()).add(split[1])
    found: dict[tuple[str, int], str] = {}
    for label, pks in by_label.items():
        loader = object_title_loader(label)
        if loader is not None:
            titles = loader(sorted(pks))
        else:
            try:
                model = apps.get_model(label)
            except (LookupError, ValueError):
                continue
            titles = {pk: str(obj) for pk, obj in model._default_manager.in_bulk(pks).items()}
        found.update({(label, pk): title for pk, title in titles.items()})
    result = {}
    for key in keys:
        split = _split_key(key)
        result[key] = found.get(split, "(no longer exists)") if split else key
    return result


@dataclass
class OutboxRow:
    email: SentEmail
    kind_label: str
    about: str


def describe_emails(emails) -> list[OutboxRow]:
    """The outbox page's rows in the society's words: the kind's description, the object's
    title, never an internal code."""
    emails = list(emails)
    titles = object_titles([e.object_key for e in emails])
    return [OutboxRow(e, kind_label(e.kind), titles[e.object_key]) for e in emails]


def open_mailings() -> QuerySet[Mailing]:
    """Mass emails still held (undo window or a chosen time), soonest first."""
    return (
        Mailing.objects.filter(state=Mailing.State.HELD)
        .select_related("created_by")
        .order_by("release_at", "pk")
    )


def recent_mailings(limit: int = 10) -> QuerySet[Mailing]:
    return Mailing.objects.select_related("created_by").order_by("-created_at", "-pk")[:limit]


def mailing_detail(mailing: Mailing) -> dict:
    """Who a mass email goes to (status of each) and one of its emails as sent."""
    emails = list(
        mailing.emails.select_related("recipient")
        .defer("body_html", "headers", "attachments")
        .order_by("recipient__full_name", "to_email")
    )
    sample = next((e for e in emails if e.body_text), None)
    counts = dict(
        mailing.emails.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {
        "emails": emails,
        "sample": sample,
        "status_counts": [
            (SentEmail.Status(status).label, n) for status, n in sorted(counts.items())
        ],
        "kind_label": kind_label(mailing.kind),
        "failed": sum(n for status, n in counts.items() if status == SentEmail.Status.FAILED),
    }
