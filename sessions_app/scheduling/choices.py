"""The browse page's filter choices (modules; topics that have upcoming sessions), cached.

Every visit to /sessions/ would otherwise ask the database for the same lists; `remember()`
drops them as soon as a session, a topic or a module is written (by any write path), and TTL
bounds the time a topic stays listed after its last upcoming session ends (harmless: its filter
shows no sessions).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from meded.models import Module, Topic
from meded.prepared import Prepared
from meded.remember import remember
from sessions_app.scheduling.models import TeachingSession

TTL = 300


def _upcoming_topics(now: datetime):
    upcoming = TeachingSession.objects.filter(
        topic=OuterRef("pk"), status=TeachingSession.Status.PUBLISHED, ends_at__gt=now
    )
    return Topic.objects.filter(Exists(upcoming)).values_list("code", "title", "module__name")


# Every cold visit of the list and the calendar asks these: compiled once per process.
_UPCOMING_TOPICS = Prepared(_upcoming_topics, 1)
_MODULES = Prepared(lambda: Module.objects.values_list("slug", "name"), 0)


def _topic_choices() -> list:
    """Topics with upcoming sessions, grouped by module (one query), valued by their code."""
    groups: dict[str, list] = {}
    for code, title, module in _UPCOMING_TOPICS.rows(timezone.now()):
        groups.setdefault(module, []).append((code, f"{code} {title}"))
    return [("", "All topics"), *groups.items()]


def _choices() -> tuple[list, list]:
    modules = [("", "All modules"), *_MODULES.rows()]
    return modules, _topic_choices()


def filter_choices() -> tuple[list, list]:
    """(module choices, topic choices) for the browse filters."""
    return remember("sessions:filter-choices", (), _choices, ttl=TTL)
