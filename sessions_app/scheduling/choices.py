"""The browse page's filter choices (modules; topics that have upcoming sessions), cached.

Every visit to /sessions/ would otherwise ask the database for the same lists; `remember()`
drops them as soon as a session, a topic or a module is written (by any write path), and TTL
bounds the time a topic stays listed after its last upcoming session ends (harmless: its filter
shows no sessions).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils import timezone

from meded.models import Module, Topic
from meded.remember import remember
from sessions_app.scheduling.models import TeachingSession

TTL = 300


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


def _choices() -> tuple[list, list]:
    modules = [("", "All modules"), *Module.objects.values_list("slug", "name")]
    return modules, _topic_choices()


def filter_choices() -> tuple[list, list]:
    """(module choices, topic choices) for the browse filters."""
    return remember("sessions:filter-choices", (), _choices, ttl=TTL)
