"""Cached reads that cannot go stale behind a write: every cached value carries the version of
each table it was read from, and any write to a table bumps that table's version.

Both sides are seen at the database cursor, not declared by hand, so no dependency can be
forgotten and no write path can slip past (`save()`, `update()`, `bulk_create()`, deletes, raw
SQL all go through it):

- writes: an `INSERT INTO`, `UPDATE` or `DELETE FROM` marks its table dirty; the table's version
  is bumped when the transaction commits (other connections see the rows only then), at once in
  autocommit, and before this connection's own next `remember()` (it sees its own rows) -- never
  while the transaction may hold row locks;
- reads: while `remember()` computes a value, every `SELECT` names the tables it reads; each
  table's version is read *before* the statement runs, so a write that commits after the read
  always leaves the entry out of date, never the other way round.

A hit costs two cache round trips (the entry, then the current versions of its tables) whatever
the size of the data behind it. Time changes what a page shows without any write (a session
starts, a window closes), so callers put the time in `parts` at the precision they need
(`minute()`), and no entry lives longer than `ttl`. The cache is Redis in production; with the
local-memory cache (development, tests) each process sees only its own writes, so another
process's writes show after at most `ttl`.

A value that reads only the member's own rows of a busy table (their bookings) may say so with
a `Cover` (see its docstring): those reads are then keyed on a digest of the rows instead of
the table's version, so other members' writes to the table leave it in place.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import re
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connections, transaction
from django.utils import timezone

T = TypeVar("T")
TTL = 300  # seconds: the bound on staleness for anything written outside this database
PREFIX = "tv:"
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)', re.I)
_READ = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?', re.I)
# Each remember() computing in this context: the tables it read (with their versions before
# reading; None: unknown, never current) and the tables its `Cover` vouches for (not recorded).
Level = tuple[dict[str, int | None], frozenset[str]]
_reading: contextvars.ContextVar[tuple[Level, ...]] = contextvars.ContextVar(
    "meded_remember_reading", default=()
)
_sent = threading.local()  # per table, the writes this thread has sent (see `writes`)
# Versions read before this context's statements, to record for them instead of reading each
# statement's tables afresh (see `_watch`): older than the statement, so never too new.
_known: contextvars.ContextVar[Mapping[str, int]] = contextvars.ContextVar(
    "meded_known", default=MappingProxyType({})
)
# Per name, the tables its value was last computed from (this process): their versions are read
# in one round trip before computing it again (see `remember`).
_HINTS: dict[str, frozenset[str]] = {}
# Entries (and their tables' versions) read ahead in one round trip each (see `prefetched`).
_ahead: contextvars.ContextVar[Ahead | None] = contextvars.ContextVar("meded_ahead", default=None)


@dataclass(frozen=True)
class Cover:
    """Reads of `tables` inside a `remember(..., cover=...)` are keyed on `digest`, not on the
    tables' versions: a write to those tables by anyone leaves the entry in place.

    The contract (break it and members see stale pages for up to the entry's ttl): `digest`
    changes whenever anything the remembered value depends on in `tables` changes -- every
    column of every row the computation reads there, by any write path (`save()`, `update()`,
    deletes, raw SQL), including reads made by nested `remember()`s, helpers, templates and
    form choices. A digest of "the member's bookings" covers a computation only if every read
    of the booking table inside it is restricted to that member's rows (`student = me`); a
    count of places, a queue position or a register reads other members' rows and needs them
    in the digest too, or no cover at all. `again()` takes the digest afresh (never from a
    memo): a miss is stored only if it is unchanged after computing, so a write landing between
    the digest and the computation's reads cannot put new rows under the old digest.

    A `remember()` around a covered one that does not cover the same tables depends on them as
    usual: on their version, if the digest was taken inside it (the digest's own query is
    read), else on an unknown version, so it is recomputed every time."""

    name: str
    tables: frozenset[str]
    digest: str
    again: Callable[[], str]


@dataclass
class Ahead:
    """What `prefetched` read: the entries found (a key absent from `entries` but in `keys` is a
    known miss) and the versions of every table they were read from."""

    keys: set[str]
    entries: dict[str, Any]
    versions: dict[str, int]

    def clear(self) -> None:
        self.keys.clear()
        self.entries.clear()
        self.versions.clear()


def writes(table: str) -> int:
    """How many writes to `table` this thread has sent: a memo kept for one request (a digest
    for a `Cover`) compares it to notice the request's own writes."""
    return getattr(_sent, "counts", {}).get(table, 0)


def _note(levels: Iterable[Level], found: dict[str, int | None]) -> None:
    """Record `found` (tables read, with their versions) in each level that does not cover them."""
    for seen, covered in levels:
        for table, version in found.items():
            if table not in covered:
                seen.setdefault(table, version)


def _random_version() -> int:
    """A fresh start for a version the cache lost: never one an old entry could carry."""
    return secrets.randbits(62)


def versions(tables: list[str] | tuple[str, ...]) -> dict[str, int]:
    keys = [PREFIX + t for t in tables]
    found = cache.get_many(keys)
    missing = [k for k in keys if k not in found]
    if missing:
        for key in missing:
            cache.add(key, _random_version(), timeout=None)
        found.update(cache.get_many(missing))
    return {k[len(PREFIX) :]: found.get(k, -1) for k in keys}


def bump(tables: set[str] | list[str]) -> None:
    keys = [PREFIX + t for t in tables]
    if not keys:
        return
    many = getattr(cache, "bump_versions", None)  # Redis: every table in one round trip
    if many is not None:
        many(keys, _random_version)
        return
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:  # no version yet, or evicted: any new value invalidates
            cache.set(key, _random_version(), timeout=None)


def _watch(execute, sql, params, many, context):
    """The execute wrapper installed on every connection (see `install`)."""
    head = sql.lstrip()[:6].upper()
    if head.startswith(("SELECT", "WITH")):
        reading = _reading.get()
        if reading:
            tables = set(_READ.findall(sql))
            new = [t for t in tables if any(t not in s and t not in c for s, c in reading)]
            if new:  # read before the rows are read (see the docstring)
                known = _known.get()
                found = {t: known[t] for t in new if t in known}
                rest = [t for t in new if t not in found]
                _note(reading, {**found, **versions(rest)} if rest else found)
        return execute(sql, params, many, context)
    result = execute(sql, params, many, context)
    match = _WRITE.match(sql)
    if match:
        _written(context["connection"], match.group(1))
    return result


class TableBump:
    """The one on-commit hook of a transaction that wrote: bumps every table it wrote once the
    rows are visible to other connections. `pending` are the tables written since this
    connection's own `remember()` last looked (see `_own_writes`)."""

    def __init__(self) -> None:
        self.tables: set[str] = set()
        self.pending: set[str] = set()

    def __call__(self) -> None:
        self.pending.clear()
        bump(self.tables)


def _written(connection, table: str) -> None:
    ahead = _ahead.get()
    if ahead is not None:
        ahead.clear()  # versions read before this write: no longer an answer
    counts = getattr(_sent, "counts", None)
    if counts is None:
        counts = _sent.counts = {}
    counts[table] = counts.get(table, 0) + 1
    if not connection.in_atomic_block:  # autocommit: the statement has committed
        deferred = getattr(_sent, "deferred", None)
        if deferred is not None:
            deferred.add(table)
        else:
            bump([table])
        return
    # Inside a transaction nothing is sent to the cache here: the transaction may hold row locks
    # (a booking holds its session's), and only this connection can see the rows before the
    # commit. This transaction's hook; Django replaces `run_on_commit` with a new list at each
    # commit or rollback, so a hook tied to the current list starts afresh then.
    hooks, hook = getattr(connection, "_meded_bump", (None, None))
    if hook is None or hooks is not connection.run_on_commit:
        hook = TableBump()
        transaction.on_commit(hook, using=connection.alias)
        connection._meded_bump = (connection.run_on_commit, hook)
    hook.tables.add(table)
    hook.pending.add(table)


@contextmanager
def one_bump_for_many() -> Iterator[None]:
    """Writes in autocommit inside this block (each committed on its own) bump their tables
    once, at the end: an email worker marks each message sent as the server accepts it, and a
    cache round trip per message would cost as much as the UPDATE. Until the block ends (a
    batch, about a second) another reader may keep a value from before these writes; this
    thread's own `remember()` sees them at once."""
    previous = getattr(_sent, "deferred", None)
    _sent.deferred = deferred = set()
    try:
        yield
    finally:
        _sent.deferred = previous
        bump(deferred)


def _own_writes() -> None:
    """Before a `remember()` reads: this thread's uncommitted writes drop what it would find
    (a service that writes, then renders in the same transaction, reads its own rows), and so
    do its committed writes whose bump `one_bump_for_many` holds back."""
    deferred = getattr(_sent, "deferred", None)
    if deferred:
        bump(deferred)
        deferred.clear()
    for connection in connections.all(initialized_only=True):
        _hooks, hook = getattr(connection, "_meded_bump", (None, None))
        if hook is not None and hook.pending:
            bump(hook.pending)
            hook.pending.clear()


def install(connection, **_kwargs: Any) -> None:
    """`connection_created` receiver: watch every statement of every connection."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def minute(now: datetime | None = None) -> str:
    """The current minute, for `parts` of entries that change with the clock."""
    return (now or timezone.now()).strftime("%Y%m%d%H%M")


def entry_key(name: str, parts: tuple, cover: Cover | None = None) -> str:
    """The cache key of `remember(name, parts, ..., cover=cover)`'s entry."""
    if cover is not None:
        parts = (*parts, ("cover", cover.name, sorted(cover.tables), cover.digest))
    return f"rm:{name}:{hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()}"


@contextlib.contextmanager
def prefetched(keys: list[str]) -> Iterator[None]:
    """Inside: `remember()` finds these entries, and the versions of their tables, read in two
    round trips in all instead of two each (a page of several remembered parts). The versions
    are read after the entries, as `remember()` reads them; a write by this thread drops all of
    it (its own rows must show)."""
    if not keys or getattr(cache, "degraded", False):
        yield
        return
    _own_writes()
    entries = cache.get_many(keys)
    tables = {t for stored, _value in entries.values() for t in stored}
    for key in keys:
        if key not in entries:  # to compute: the tables it read last time, read with the rest
            tables |= _HINTS.get(key[len("rm:") : key.rindex(":")], frozenset())
    ahead = Ahead(set(keys), entries, versions(sorted(tables)) if tables else {})
    token, known = _ahead.set(ahead), _known.set({**_known.get(), **ahead.versions})
    try:
        yield
    finally:
        _known.reset(known)
        _ahead.reset(token)


def _entry(key: str) -> tuple[Any, Callable[[list[str]], dict[str, int]]]:
    """The entry under `key` (None: none) and how to read its tables' current versions: as
    `prefetched` read them where it did (an entry read since is checked against those: the
    page is as of that moment, as if it had been read then), else from the cache."""
    ahead = _ahead.get()
    if ahead is None:
        return cache.get(key), versions
    if key in ahead.keys:
        ahead.keys.discard(key)  # once: a second remember() of the key sees what the first stored
        entry = ahead.entries.pop(key, None)
    else:
        entry = cache.get(key)
    known = dict(ahead.versions)

    def current(tables: list[str]) -> dict[str, int]:
        return {t: known[t] for t in tables} if known.keys() >= set(tables) else versions(tables)

    return entry, current


def remember(
    name: str,
    parts: tuple,
    compute: Callable[[], T],
    *,
    ttl: int = TTL,
    until: Callable[[T], datetime | None] | None = None,
    cover: Cover | None = None,
) -> T:
    """`compute()`'s value for `parts`, from the cache while no table it read has been written.

    `parts` must hold everything the value depends on besides the database: the member (for
    anything personal), their roles, the filters, the time at the precision the value needs --
    or, instead of the time, `until(value)`: the next moment the clock alone changes the value
    (a feedback window closes), which the entry never outlives. `cover`: reads of its tables
    are keyed on its digest instead of their versions -- only under `Cover`'s contract."""
    if getattr(cache, "degraded", False):  # Redis is away: other processes' writes are unseen
        return compute()
    _own_writes()
    key = entry_key(name, parts, cover)
    covered = cover.tables if cover is not None else frozenset()
    unknown: dict[str, int | None] = dict.fromkeys(covered)  # for outers that do not cover them
    entry, current = _entry(key)
    if entry is not None:
        stored, value = entry
        if not stored or current(list(stored)) == stored:
            _note(_reading.get(), {**unknown, **stored})  # a hit inside another remember()
            return value
    seen: dict[str, int | None] = {}
    outer = _known.get()
    hint = [t for t in sorted(_HINTS.get(name, ())) if t not in outer]
    known = _known.set({**outer, **versions(hint)} if hint else outer)
    token = _reading.set((*_reading.get(), (seen, covered)))
    try:
        value = compute()
    finally:
        _reading.reset(token)
        _known.reset(known)
    _HINTS[name] = frozenset(seen)
    _note(_reading.get(), {**unknown, **seen})  # a remember() inside another: it read these too
    changes = until(value) if until is not None else None
    if changes is not None:
        ttl = min(ttl, int((changes - timezone.now()).total_seconds()))
    # stored only if the covered rows did not change while computing (this value has no digest)
    if ttl > 0 and (cover is None or cover.again() == cover.digest):
        cache.set(key, (seen, value), timeout=ttl)
    return value


CSRF_SENTINEL = "__MEDED_CSRF__"


def with_csrf(request, html: str) -> str:
    """Put this request's CSRF token where a cached fragment was rendered with the sentinel (a
    token is tied to the visitor's cookie, so it is never cached)."""
    if CSRF_SENTINEL not in html:
        return html
    from django.middleware.csrf import get_token

    return html.replace(CSRF_SENTINEL, get_token(request))


def render_shared(template: str, context: dict) -> str:
    """A fragment to cache beside other values (a page's title): rendered without the request
    (no context processors), so it shows only what `context` holds; `{% csrf_token %}` renders
    the sentinel (see `with_csrf`)."""
    from django.template.loader import render_to_string

    return str(render_to_string(template, {**context, "csrf_token": CSRF_SENTINEL}))


def remember_html(
    request, name: str, parts: tuple, template: str, context_fn: Callable[[], dict], **kw: Any
):
    """A rendered fragment from the cache (see `remember`), with this request's CSRF token.

    Only a GET (or HEAD) is remembered: any other method renders what it was sent (a form
    with its errors), never into the entry a GET would find."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    def compute() -> str:
        context = {**context_fn(), "csrf_token": CSRF_SENTINEL}
        return str(render_to_string(template, context, request=request))

    html = remember(name, parts, compute, **kw) if request.method in ("GET", "HEAD") else compute()
    return mark_safe(with_csrf(request, html))


def member_key(user) -> tuple:
    """The `parts` for anything personal: the member, their roles (memoised on the request, so
    not seen as reads) and the fields of their own row (loaded before any `remember()`, so a
    changed name or verified year is not seen as a write either)."""
    from meded.roles import is_committee, is_tutor

    fields = tuple(
        getattr(user, f.attname) for f in user._meta.concrete_fields if f.name != "password"
    )
    return (user.pk, is_tutor(user), is_committee(user), fields)


def member_parts(request) -> tuple:
    """`member_key` and the minute ("opens at", "starts in"): a member's fragment of now."""
    return (*member_key(request.user), minute())


def page_parts(request, *more: Any) -> tuple:
    """The usual `parts` of a member's page: `member_parts` and the address with its query."""
    return (*member_parts(request), request.get_full_path(), *more)
