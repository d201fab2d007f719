"""Reads on a hot path, compiled by the ORM once per process and run with fresh values.

For a small query the ORM spends longer compiling SQL than the database spends running it (a
booking's counts: about 0.7 ms of compiling for a statement that runs in 0.1 ms). Worse, some
of these run while a row lock is held, so every client waiting for that lock waits for the
compiling too. A `Prepared` read is written as an ordinary queryset, built once with marker
values in place of the per-call ones; the compiled SQL is kept with the positions of the
markers, and each call puts its values there.

The values are ids, numbers or text (a marker is an integer, which a text field keeps as its
digits), or dates and aware datetimes ("sessions ending after now"): their marker is a date or a
moment long before the society, of the type the first call gives, and each call's value goes
through the database adapter as the ORM would send it. A value compared with a small integer
field (a year's number) is named in `small`: its marker is a number such a field holds (the ORM
drops a comparison with one it cannot, as matching nothing). A value that does not reach the SQL
as given (arithmetic on a marker) is refused at compile; a read with `small` values is compiled
twice with different markers, so that a constant of the query equal to a marker cannot be taken
for a value. Results need no conversion (counts, ids, booleans, text), or come converted as the
ORM converts them: `converted_rows()` (a `values_list`'s tuples) or `instances()` (model
instances with their annotations, dearer).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Model, QuerySet

# Far below any primary key or count the society will ever store, and distinct per slot.
_MARKER = -7_319_000_000_000
# Moments and days long before the society, distinct per slot.
_MOMENT = datetime(1901, 2, 3, 4, 5, 6, 70_000, tzinfo=UTC)
_DAY = date(1901, 2, 3)
Compiled = tuple[str, tuple, tuple[int | None, ...], tuple[type, ...]]


class Prepared:
    """`build(*values) -> QuerySet`, compiled the first time it runs on a database; the values at
    the positions in `small` are small integers."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        arity: int,
        *,
        small: tuple[int, ...] = (),
        using: str = "default",
    ):
        self.build, self.arity, self.using = build, arity, using
        self.small = frozenset(small)
        self._compiled: dict[str, Compiled] = {}
        self._converters: dict[str, dict] = {}
        self._model: type[Model] | None = None
        self._annotations: dict[str, Any] = {}  # alias: expression, for its converters

    def statement(self, *values: Any) -> tuple[str, list]:
        """The SQL and its parameters for these values."""
        if len(values) != self.arity:
            raise TypeError(f"expected {self.arity} values, got {len(values)}")
        connection = connections[self.using]
        kinds = tuple(_kind(v) for v in values)
        compiled = self._compiled.get(connection.vendor)
        if compiled is None:
            compiled = self._compiled[connection.vendor] = self._compile(connection, kinds)
        sql, fixed, slots, compiled_kinds = compiled
        if kinds != compiled_kinds:
            raise TypeError(f"compiled for values of types {compiled_kinds}, given {kinds}")
        sent = [_adapt(connection, v) for v in values]
        return sql, [p if s is None else sent[s] for p, s in zip(fixed, slots, strict=True)]

    def rows(self, *values: Any) -> list[tuple]:
        sql, params = self.statement(*values)
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def converted_rows(self, *values: Any) -> list[tuple]:
        """`rows()` with each column converted as the ORM converts it (SQLite keeps moments as
        text; PostgreSQL's are already Python values)."""
        rows = self.rows(*values)
        connection = connections[self.using]
        converters = list(self._converters[connection.vendor].items())
        if not converters:
            return rows
        found = []
        for row in map(list, rows):
            for pos, (convs, expression) in converters:
                for convert in convs:
                    row[pos] = convert(row[pos], expression, connection)
            found.append(tuple(row))
        return found

    def count(self, *values: Any) -> int:
        """How many rows the read has (its SQL wrapped, not compiled again)."""
        sql, params = self.statement(*values)
        with connections[self.using].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) counted", params)
            return cursor.fetchone()[0]

    def instances(self, *values: Any) -> list[Model]:
        """Model instances, with the database's values converted as the ORM converts them, the
        annotations' too (a datetime, a boolean read from SQLite)."""
        sql, params = self.statement(*values)
        found = list(self._model._default_manager.db_manager(self.using).raw(sql, params))
        connection = connections[self.using]
        for alias, expression in self._annotations.items():
            converters = connection.ops.get_db_converters(
                expression
            ) + expression.get_db_converters(connection)
            for instance in found if converters else ():
                value = getattr(instance, alias)
                for convert in converters:
                    value = convert(value, expression, connection)
                setattr(instance, alias, value)
        return found

    def _compile(self, connection, kinds: tuple[type, ...]) -> Compiled:
        compiled = self._compile_turn(connection, kinds, 0)
        if self.small and self._compile_turn(connection, kinds, 1)[::2] != compiled[::2]:
            raise RuntimeError("A constant of a Prepared read equals the marker of a value.")
        return compiled

    def _compile_turn(self, connection, kinds: tuple[type, ...], turn: int) -> Compiled:
        markers = [self._marker(i, kind, turn) for i, kind in enumerate(kinds)]
        queryset = self.build(*markers)
        self._model = queryset.model
        self._annotations = dict(queryset.query.annotation_select)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
        self._converters[connection.vendor] = compiler.get_converters(columns)
        sent = [_adapt(connection, m) for m in markers]
        slots = tuple(_slot(p, markers, sent) for p in params)
        if {s for s in slots if s is not None} != set(range(self.arity)):
            raise RuntimeError("A value given to a Prepared read does not reach its SQL.")
        return sql, tuple(params), slots, kinds

    def _marker(self, i: int, kind: type, turn: int) -> Any:
        if kind is datetime:
            return _MOMENT - timedelta(days=400 * turn) + timedelta(microseconds=i)
        if kind is date:
            return _DAY - timedelta(days=400 * turn) + timedelta(days=i)
        if i in self.small:
            return 32_000 - 100 * turn - i
        return _MARKER - 100 * turn - i


def _kind(value: Any) -> type:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise TypeError("a Prepared read takes aware datetimes only")
        return datetime
    return date if isinstance(value, date) else int


def _adapt(connection, value: Any) -> Any:
    """A date or a moment as the ORM sends it to this database (SQLite: text in UTC)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _slot(param: Any, markers: Sequence[Any], sent: Sequence[Any]) -> int | None:
    """Which value goes here: a marker as given (ids, numbers, dates), as a text field keeps it,
    or as the database adapter sent it."""
    if isinstance(param, bool) or not isinstance(param, int | str | date):
        return None
    for i, marker in enumerate(markers):
        if type(param) is type(marker) and param == marker:
            return i
        if type(param) is type(sent[i]) and param == sent[i]:
            return i
        if isinstance(marker, int) and param == str(marker):
            return i
    return None


class PreparedForIds:
    """`build(*values, ids) -> QuerySet` for a list of ids of any length (an `IN` list): one
    `Prepared` per power-of-two size, the list padded with 0 (no row has the id 0), so a few
    sizes compile in a process, not one statement per visit. No ids: no query, no rows."""

    def __init__(self, build: Callable[..., QuerySet], arity: int = 0, **kw: Any):
        self.build, self.arity, self.kw = build, arity, kw
        self._sizes: dict[int, Prepared] = {}

    def _read(self, values: tuple, ids: Sequence[int]) -> tuple[Prepared, list]:
        size = 1 << (len(ids) - 1).bit_length()
        read = self._sizes.get(size)
        if read is None:
            n = self.arity
            read = self._sizes[size] = Prepared(
                lambda *v: self.build(*v[:n], list(v[n:])), n + size, **self.kw
            )
        return read, [*values, *ids, *[0] * (size - len(ids))]

    def rows(self, *values: Any, ids: Sequence[int]) -> list[tuple]:
        if not ids:
            return []
        read, args = self._read(values, ids)
        return read.rows(*args)

    def instances(self, *values: Any, ids: Sequence[int]) -> list[Model]:
        if not ids:
            return []
        read, args = self._read(values, ids)
        return read.instances(*args)


class PreparedPages:
    """A list shown a page at a time: `build(*values) -> QuerySet`, ordered, of the columns a
    line prints (a `values_list`). Its count and each page's read are compiled once per process
    (a page's offset is in its SQL, so each page is a statement of its own; past `MAX_PAGES` a
    page is compiled for its visit only, so paging far cannot grow the process's memory)."""

    MAX_PAGES = 64

    def __init__(self, build: Callable[..., QuerySet], arity: int, size: int, **kw: Any):
        self.build, self.arity, self.size, self.kw = build, arity, size, kw
        self._count = Prepared(lambda *v: build(*v).order_by(), arity, **kw)
        self._pages: dict[int, Prepared] = {}

    def page(self, number: Any, *values: Any) -> Page:
        """Django's page `number` (as `Paginator.get_page` reads it: anything, clamped), its
        `object_list` the page's rows, converted as the ORM converts them."""
        page = Paginator(range(self._count.count(*values)), self.size).get_page(number)
        offset = (page.number - 1) * self.size
        read = self._pages.get(offset)
        if read is None:
            end = offset + self.size
            read = Prepared(lambda *v: self.build(*v)[offset:end], self.arity, **self.kw)
            if len(self._pages) < self.MAX_PAGES:
                self._pages[offset] = read
        page.object_list = read.converted_rows(*values)
        return page
