"""Read queries over the curriculum, written once with their joins."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Topic


def curriculum_topics(year: str = "", module: str = "", q: str = "") -> QuerySet[Topic]:
    """Topics for the committee's list, by year number, module id and code/title text; a
    filter value that is not a number is ignored rather than refused."""
    topics = Topic.objects.select_related("module").prefetch_related("years")
    if year.isdigit():
        topics = topics.filter(years__number=int(year))
    if module.isdigit():
        topics = topics.filter(module_id=int(module))
    if q:
        topics = topics.filter(Q(code__icontains=q) | Q(title__icontains=q))
    return topics.distinct().order_by("module__name", "code")
