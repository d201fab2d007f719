"""The /resources/ list as one page of rows: its reads compiled once per process, its rows
rendered once per process for what each shows.

Every write to the resource, booking or session tables recomputes the remembered page (see
`views.library`), so the recomputing itself must be cheap: the ORM spends longer building the
visibility query than PostgreSQL spends running it, and the template longer rendering twenty
rows than either. The unfiltered list (what nearly every visit asks for) is read by prepared
statements (`PreparedPages`), one per role's visibility rule and page; a filtered list goes
through the ORM as before. Either way a row is rendered from its values, and the HTML of a row
is kept in this process under exactly those values (a resource's title, kind, topics,
session...): a row whose values are unchanged is never rendered twice, whatever was written
since.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe

from meded.fragment_memo import Memo
from meded.prepared import PreparedForIds, PreparedPages
from meded.roles import is_committee, is_tutor
from sessions_app.resources.models import Resource
from sessions_app.resources.selectors import LibraryFilters, library, visible_to

PAGE_SIZE = 20
ROW_MEMO_SIZE = 4000
_ROW_TEMPLATE = "sessions_app/_library_row.html"
_COLUMNS = ("pk", "title", "kind", "status", "duration", "captions", "session__title")
_COLUMNS += ("session__starts_at",)


@dataclass(frozen=True)
class Row:
    """What one line of the list shows, and nothing else (it is the key of its HTML)."""

    pk: int
    title: str
    kind: str
    status: str
    duration: timedelta | None
    captions: bool
    session_title: str | None
    session_day: str
    topics: tuple[tuple[str, str, str], ...]  # (code, title, module name)


def _listed(rows: QuerySet[Resource]) -> QuerySet[Resource]:
    return rows.order_by("-created", "-pk").values_list(*_COLUMNS)


def _pages(role: str) -> PreparedPages:
    """The unfiltered list under a role's visibility rule, a page at a time."""
    if role == "committee":
        return PreparedPages(lambda: _listed(Resource.objects.all()), 0, PAGE_SIZE)

    def build(user_pk: int, now: datetime) -> QuerySet:
        visible = visible_to(user_pk, role == "tutor", now).filter(status=Resource.Status.PUBLISHED)
        return _listed(Resource.objects.filter(pk__in=visible.values("pk")))

    return PreparedPages(build, 2, PAGE_SIZE)


_PAGES = {role: _pages(role) for role in ("committee", "tutor", "student")}
_TOPICS = PreparedForIds(
    lambda ids: (
        Resource.topics.through.objects.filter(resource_id__in=ids)
        .order_by("resource_id", "topic__module__name", "topic__code")
        .values_list("resource_id", "topic__code", "topic__title", "topic__module__name")
    ),
)


def page(user, filters: LibraryFilters, number: str | int | None) -> Page:
    """One page of the list the member may open, as `Row`s, newest first."""
    role = "committee" if is_committee(user) else "tutor" if is_tutor(user) else "student"
    now = timezone.now()
    values = () if role == "committee" else (user.pk, now)
    if filters == LibraryFilters():
        paginated = _PAGES[role].page(number, *values)
        found = paginated.object_list
    else:
        matching = library(user, filters)
        paginated = Paginator(range(matching.count()), PAGE_SIZE).get_page(number)
        offset = (paginated.number - 1) * PAGE_SIZE
        found = list(_listed(matching)[offset : offset + PAGE_SIZE])
    paginated.object_list = _rows(found)
    return paginated


def _rows(found: Iterable[tuple]) -> list[Row]:
    found = list(found)
    topics: dict[int, list[tuple[str, str, str]]] = {}
    for resource_id, code, title, module in _TOPICS.rows(ids=[r[0] for r in found]):
        topics.setdefault(resource_id, []).append((code, title, module))
    return [
        Row(
            pk,
            title,
            kind,
            status,
            duration,
            bool(captions),
            session_title,
            date_format(timezone.localtime(starts), "j M Y") if starts else "",
            tuple(topics.get(pk, ())),
        )
        for pk, title, kind, status, duration, captions, session_title, starts in found
    ]


_memo = Memo(ROW_MEMO_SIZE)


def rendered(rows: Iterable[Row]) -> SafeString:
    """The rows' HTML, each rendered once per process for its values."""
    parts = [_memo.get(row, lambda row=row: _render(row)) for row in rows]
    return mark_safe("".join(parts))


def _render(row: Row) -> SafeString:
    resource = Resource(
        pk=row.pk,
        title=row.title,
        kind=row.kind,
        status=row.status,
        duration=row.duration,
        captions="x" if row.captions else "",
    )
    return mark_safe(render_to_string(_ROW_TEMPLATE, {"r": resource, "row": row}))
