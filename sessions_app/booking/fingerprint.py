"""A member's own booking rows as a digest, so that a page showing only those rows stays
remembered while other members book (see `meded.remember.Cover`).

At the start of term someone books every few milliseconds; every booking bumps the booking
table's version, which would drop every remembered page that read the table at all. A page
whose every read of the table is restricted to the member's own rows (`student = me`) depends
on those rows only: keyed on a digest of every column of each of them, it survives others'
bookings and changes the moment one of the member's rows changes by any write path (`update()`
does not touch `updated`, so the digest reads every column, not a timestamp).

The digest is one indexed query (`student_id`), taken once per request (memoised on the user
object, which lives for one request) and again after this thread writes a booking. It is
never itself remembered: it is what tells a remembered page apart."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import connection

from meded.remember import Cover, writes
from sessions_app.booking.models import Booking

TABLE = Booking._meta.db_table
COLUMNS = tuple(f.column for f in Booking._meta.concrete_fields)
WAITING = Booking.Status.WAITING.value
# For each of the member's waiting rows, the waiting rows ahead of it: the same count as
# `selectors.my_bookings`' `n_ahead`, and the only other members' rows "my bookings" shows.
AHEAD = (
    "CASE WHEN b.status = %s THEN (SELECT COUNT(*) FROM {table} a WHERE a.session_id ="
    " b.session_id AND a.status = %s AND a.joined_at < b.joined_at) END"
)


def _digest(*values: Any) -> str:
    return hashlib.blake2b(repr(values).encode(), digest_size=16).hexdigest()


def _fresh(user_pk: int, queue: bool = False, *, of: str = "student_id") -> str:
    """Every column of every row of the member (and with `queue`, each waiting row's place), in
    one query on the `student_id` index (`of="session_id"`: a session's rows). In raw SQL: the
    ORM's compiling alone costs more than the query (a page is ~1 ms). PostgreSQL hashes the
    rows itself (a row's text holds every column, present and future); elsewhere the rows are
    hashed here."""
    assert of in ("student_id", "session_id")  # a column name in the SQL: never from outside
    table = connection.ops.quote_name(TABLE)
    ahead = AHEAD.format(table=table) if queue else "NULL"
    params = [WAITING, WAITING, user_pk] if queue else [user_pk]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT md5(string_agg(b::text || ':' || coalesce(({ahead})::text, ''), '|'"
                f" ORDER BY b.id)) FROM {table} b WHERE b.{of} = %s",
                params,
            )
            return _digest(of, user_pk, queue, cursor.fetchone()[0])
        columns = ", ".join("b." + connection.ops.quote_name(c) for c in COLUMNS)
        cursor.execute(
            f"SELECT {columns}, {ahead} FROM {table} b WHERE b.{of} = %s ORDER BY b.id",
            params,
        )
        return _digest(of, user_pk, queue, cursor.fetchall())


def _cover(user, name: str, queue: bool) -> Cover:
    """Taken once per request (memoised on the user object), again after this thread writes a
    booking (the request's own writes)."""
    memo_name = f"_meded_cover_{name}"
    written = writes(TABLE)
    memo = getattr(user, memo_name, None)
    if memo is None or memo[0] != written:
        pk = user.pk
        cover = Cover(name, frozenset({TABLE}), _fresh(pk, queue), lambda: _fresh(pk, queue))
        memo = (written, cover)
        setattr(user, memo_name, memo)
    return memo[1]


def member_bookings(user) -> Cover:
    """The `Cover` of a computation whose every booking read is of this member's own rows."""
    return _cover(user, "member-bookings", queue=False)


def member_bookings_fingerprint(user) -> str:
    """A digest of every column of every booking row of the member (see the module's docstring)."""
    return member_bookings(user).digest


def member_bookings_and_queue(user) -> Cover:
    """The member's own rows and their places in each waiting list they are on: the `Cover` of
    "my bookings", whose only read of other members' rows is the waiting rows ahead of theirs
    (their place moves as others leave the queue ahead; others joining behind move nothing)."""
    return _cover(user, "member-bookings+queue", queue=True)


def session_bookings(session_id: int) -> Cover:
    """The `Cover` of a computation whose every booking read is of this one session's rows (its
    register): bookings of other sessions keep it. Taken afresh at each call."""
    return Cover(
        "session-bookings",
        frozenset({TABLE}),
        _fresh(session_id, of="session_id"),
        lambda: _fresh(session_id, of="session_id"),
    )
