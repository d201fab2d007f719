"""Read queries over the curriculum, written once with their joins."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from meded.parsing import parse_id, parse_int

from .models import Topic


def curriculum_topics(year: str = "", module: str = "", q: str = "") -> QuerySet[Topic]:
    """Topics for the committee's list, by year number, module id and code/title text; a
    filter value that is not a number is ignored rather than refused."""
    topics = Topic.objects.select_related("module").prefetch_related("years")
    if parse_int(year, high=99) is not None:
        topics = topics.filter(years__number=parse_int(year))
    if parse_id(module) is not None:
        topics = topics.filter(module_id=parse_id(module))
    if q:
        topics = topics.filter(Q(code__icontains=q) | Q(title__icontains=q))
    return topics.distinct().order_by("module__name", "code")
