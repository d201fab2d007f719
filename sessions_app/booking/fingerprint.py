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
_MEMO = "_meded_bookings_cover"


def _digest(*values: Any) -> str:
    return hashlib.blake2b(repr(values).encode(), digest_size=16).hexdigest()


def _sql(template: str) -> str:
    return template.format(table=connection.ops.quote_name(TABLE))


def _fresh(user_pk: int) -> str:
    """Every column of every row of the member, in one query on the `student_id` index. In
    raw SQL: the ORM's compiling alone costs more than the whole query (a page is ~1 ms).
    PostgreSQL hashes the rows itself (a row's text holds every column, present and future)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                _sql("SELECT md5(string_agg(b::text, '|' ORDER BY b.id)) FROM {table} b ")
                + "WHERE b.student_id = %s",
                [user_pk],
            )
            return _digest(user_pk, cursor.fetchone()[0])
        columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
        cursor.execute(
            _sql(f"SELECT {columns} FROM {{table}} WHERE student_id = %s ORDER BY id"), [user_pk]
        )
        return _digest(user_pk, cursor.fetchall())


def member_bookings(user) -> Cover:
    """The `Cover` of a computation whose every booking read is of this member's own rows."""
    written = writes(TABLE)
    memo = getattr(user, _MEMO, None)
    if memo is None or memo[0] != written:  # first use this request, or this thread wrote since
        pk = user.pk
        cover = Cover("member-bookings", frozenset({TABLE}), _fresh(pk), lambda: _fresh(pk))
        memo = (written, cover)
        setattr(user, _MEMO, memo)
    return memo[1]


def member_bookings_fingerprint(user) -> str:
    """A digest of every column of every booking row of the member (see the module's docstring)."""
    return member_bookings(user).digest


def _queue_positions(user_pk: int) -> list[tuple]:
    """(booking, waiting rows ahead of it) for each of the member's waiting bookings: the other
    members' rows the "waiting list, number N" badge depends on, in one query (the same count
    as `selectors.my_bookings`' `n_ahead`)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _sql(
                "SELECT b.id, (SELECT COUNT(*) FROM {table} a WHERE a.session_id = b.session_id"
                " AND a.status = %s AND a.joined_at < b.joined_at)"
                " FROM {table} b WHERE b.student_id = %s AND b.status = %s ORDER BY b.id"
            ),
            [WAITING, user_pk, WAITING],
        )
        return cursor.fetchall()


def member_bookings_and_queue(user) -> Cover:
    """The member's own rows and their places in each waiting list they are on: the `Cover` of
    "my bookings", whose only read of other members' rows is the waiting rows ahead of theirs.
    The positions are read afresh on every call (they move as others leave the queue)."""
    own = member_bookings(user)
    pk = user.pk
    return Cover(
        "member-bookings+queue",
        own.tables,
        _digest(own.digest, _queue_positions(pk)),
        lambda: _digest(_fresh(pk), _queue_positions(pk)),
    )
