"""The browse page's filter choices (modules; topics that have upcoming sessions), cached.

Every visit to /sessions/ would otherwise ask the database for the same lists; they change only
when a session, a topic or a module is saved (the key is then dropped), or when a topic's last
upcoming session ends (TIMEOUT bounds that: a topic listed a few minutes too long is harmless,
its filter shows no sessions).
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.utils import timezone

from meded.models import Module, Topic
from sessions_app.scheduling.models import TeachingSession

KEY = "sessions:filter-choices"
TIMEOUT = 300


def _topic_choices() -> list:
    """Topics with upcoming sessions, grouped by module (one query), valued by their code."""
    upcoming = TeachingSession.objects.filter(
        topic=OuterRef("pk"), status=TeachingSession.Status.PUBLISHED, ends_at__gt=timezone.now()
    )
    groups: dict[str, list] = {}
    rows = Topic.objects.filter(Exists(upcoming)).values_list("code", "title", "module__name")
    for code, title, module in rows:
        groups.setdefault(module, []).append((code, f"{code} {title}"))
    return [("", "All topics"), *groups.items()]


def filter_choices() -> tuple[list, list]:
    """(module choices, topic choices) for the browse filters, from the cache when it has them."""
    found = cache.get(KEY)
    if found is None:
        modules = [("", "All modules"), *Module.objects.values_list("slug", "name")]
        found = (modules, _topic_choices())
        cache.set(KEY, found, TIMEOUT)
    return found


def choices_changed(**_kw: Any) -> None:
    cache.delete(KEY)


def connect() -> None:
    """Drop the cached choices whenever a session, topic or module is saved or deleted."""
    from django.db.models.signals import post_delete, post_save

    for model in (TeachingSession, Topic, Module):
        uid = f"sessions.filter_choices.{model.__name__}"
        post_save.connect(choices_changed, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(choices_changed, sender=model, dispatch_uid=uid + ".delete")
