from __future__ import annotations

from typing import Any

from django.db import transaction

from meded.errors import DomainError

from .models import SupportPage

FIELDS = ("wellbeing", "contacts", "too_much")


def current() -> SupportPage:
    return SupportPage.objects.order_by("pk").first() or SupportPage()


def save(actor, values: dict[str, Any]) -> SupportPage:
    """Update the support page; every section keeps at least a line."""
    empty = [name for name in FIELDS if not (values.get(name) or "").strip()]
    if empty:
        raise DomainError("Keep at least a line in every section.", field=empty[0])
    with transaction.atomic():
        page = SupportPage.objects.select_for_update().order_by("pk").first() or SupportPage()
        for name in FIELDS:
            setattr(page, name, values[name].strip())
        page.updated_by = actor
        page.save()
    return page
