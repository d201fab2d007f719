"""One page of a question-side list, rendered once and remembered (see meded/remember.py).

A list of past things pages at `PAGE_SIZE` rows, so a page costs the same however long the
history; the rendered rows are remembered until a table they were read from is written. The
key holds what the rows depend on besides the database: the caller's `parts` (the member for
anything personal, their roles, the clock when the rows say "open now") and the query string
(page, filters)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Paginator
from django.db.models import QuerySet

from meded.remember import Cover, remember_html

PAGE_SIZE = 25


def remembered_page(
    request,
    name: str,
    parts: tuple,
    template: str,
    rows: Callable[[], QuerySet],
    shape: Callable[[list], list] = list,
    cover: Cover | None = None,
    **context,
) -> str:
    """`template` rendered with `page` (this request's page of `rows()`), `rows` (that page's
    rows passed through `shape`) and `context`; every value in `context` must be fixed by
    `parts`. `cover`: see meded/remember.py's `Cover` (only under its contract)."""

    def context_fn() -> dict:
        page = Paginator(rows(), PAGE_SIZE).get_page(request.GET.get("page"))
        return {"page": page, "rows": shape(page.object_list), **context}

    return remember_html(
        request,
        f"questions.{name}",
        (*parts, request.GET.urlencode()),
        template,
        context_fn,
        cover=cover,
    )
