"""The sessions list's reads, compiled once per process (meded/prepared.py).

A cold visit of /sessions/ built and compiled four querysets (the paginator's count, the page,
its tutors and its years), each about a millisecond of ORM work for a statement the database
runs in a tenth of that. The common filters (year, module, topic, kind, delivery, dates) are
prepared here, one read per set of filters in use; a word search or "only with places left"
(which reads the bookings) takes the ORM's way, `browse_sessions` as before. Both give the
same rows, in the same order, as `Card`s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import F
from django.utils import timezone

from meded.prepared import Prepared, PreparedForIds
from sessions_app.booking.state import public_badge
from sessions_app.scheduling.fragments import Card
from sessions_app.scheduling.models import TeachingSession
from sessions_app.scheduling.selectors import (
    SessionFilters,
    browse_sessions,
    day_start,
    period_sessions,
)

PAGE_SIZE = 20
PREPARED_FILTERS = ("year", "module", "topic", "kind", "delivery")
_reads: dict[tuple, Prepared] = {}


def _read(active: tuple[str, ...], after: bool, before: bool, fields: tuple[str, ...]) -> Prepared:
    """`fields` of the matching sessions in the list's order: `(now, [after], [before], *values
    of the active filters)`."""
    key = (active, after, before, fields)
    read = _reads.get(key)
    if read is None:

        def build(now: datetime, *values):
            moments, values = values[: after + before], values[after + before :]
            filters = SessionFilters(**dict(zip(active, values, strict=True)))
            qs = browse_sessions(None, filters, now=now, places=False)
            if after:
                qs = qs.filter(starts_at__gte=moments[0])
            if before:
                qs = qs.filter(starts_at__lt=moments[-1])
            return qs.prefetch_related(None).select_related(None).values_list(*fields)

        first = 1 + after + before
        small = (first + active.index("year"),) if "year" in active else ()
        read = _reads[key] = Prepared(build, first + len(active), small=small)
    return read


def _matching(filters: SessionFilters, now: datetime, fields: tuple[str, ...]) -> list[tuple]:
    """The prepared read of `_read` for these filters (`prepared(filters)`), converted."""
    values = {k: v for k, v in asdict(filters).items() if k in PREPARED_FILTERS and v}
    active = tuple(k for k in PREPARED_FILTERS if k in values)
    moments = []
    if filters.date_from:
        moments.append(day_start(filters.date_from))
    if filters.date_to:
        moments.append(day_start(filters.date_to + timedelta(days=1)))
    read = _read(active, bool(filters.date_from), bool(filters.date_to), fields)
    return read.converted_rows(now, *moments, *(values[k] for k in active))


def period_rows(filters: SessionFilters, first: date, last: date) -> list[tuple]:
    """(id, title, start) of the sessions from `first` to `last` inclusive, as
    `selectors.period_sessions` finds them (the month and week views)."""
    period = SessionFilters(**{**filters.__dict__, "date_from": first, "date_to": last})
    fields = ("id", "title", "starts_at")
    if not prepared(period):
        return list(period_sessions(filters, first, last).values_list(*fields))
    return _matching(period, min(timezone.now(), day_start(first)), fields)


_ROWS = PreparedForIds(
    lambda ids: TeachingSession.objects.filter(pk__in=ids).annotate(
        module_name=F("topic__module__name"), topic_code=F("topic__code")
    )
)
# As the cards' prefetches ordered them (User: full name, email; Year: number).
_TUTORS = PreparedForIds(
    lambda ids: (
        TeachingSession.tutors.through.objects.filter(teachingsession_id__in=ids)
        .order_by("user__full_name", "user__email")
        .values_list("teachingsession_id", "user__full_name", "user__email", "user__erased_at")
    )
)
_YEARS = PreparedForIds(
    lambda ids: (
        TeachingSession.target_years.through.objects.filter(teachingsession_id__in=ids)
        .order_by("year__number")
        .values_list("teachingsession_id", "year__number")
    )
)


def prepared(filters: SessionFilters) -> bool:
    """Whether these filters have a compiled read (no word search, no places filter)."""
    return not filters.q and not filters.has_places


def list_page(filters: SessionFilters, now: datetime, number) -> tuple[Page, list[Card]]:
    """The page `number` of the list (the paginator's rules) and its cards."""
    if not prepared(filters):
        sessions = browse_sessions(None, filters, now=now, places=False)
        page = Paginator(sessions, PAGE_SIZE).get_page(number)
        return page, [_card(s, now) for s in page.object_list]
    ids = [pk for (pk,) in _matching(filters, now, ("pk",))]
    page = Paginator(ids, PAGE_SIZE).get_page(number)
    return page, cards(list(page.object_list), now)


def cards(ids: Sequence[int], now: datetime) -> list[Card]:
    """The cards of these sessions, in this order (three reads, whatever their number)."""
    rows = {s.pk: s for s in _ROWS.instances(ids=ids)}
    tutors: dict[int, list[str]] = {}
    for sid, name, email, erased in _TUTORS.rows(ids=ids):
        tutors.setdefault(sid, []).append("Former member" if erased else name or email)
    years: dict[int, list[int]] = {}
    for sid, number in _YEARS.rows(ids=ids):
        years.setdefault(sid, []).append(number)
    found = []
    for pk in ids:
        s = rows[pk]
        topic = (s.topic_id is not None, s.module_name or "", s.topic_code or "")
        found.append(_card(s, now, topic, years.get(pk, ()), tutors.get(pk, ())))
    return found


def _card(s: TeachingSession, now: datetime, topic=None, years=None, tutors=None) -> Card:
    """A card from a session read here, or (no topic given) one with its topic and module and
    prefetched tutors and years (`browse_sessions`)."""
    if topic is None:
        has = s.topic_id is not None
        topic = (has, s.topic.module.name if has else "", s.topic.code if has else "")
        years = [y.number for y in s.target_years.all()]
        tutors = [str(t) for t in s.tutors.all()]
    return Card(
        s.pk,
        s.title,
        str(public_badge(s, now)),
        s.starts_at,
        s.ends_at,
        s.get_kind_display(),
        s.get_delivery_display(),
        s.venue,
        s.delivery,
        *topic,
        tuple(years),
        tuple(tutors),
    )
