"""Import busy times into a member's availability: an .ics file, or their own calendar feed.

Busy events become dated `BusyBlock`s (times only) for the coming months; a new file replaces
the blocks of the last file, each feed refresh replaces the feed's. The network and the parsing
happen before any transaction, so nothing slow runs while rows are locked; a bad file or feed
changes nothing and says why next to its field.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .calendars import CalendarFileError, Interval, busy_intervals
from .feeds import FeedError, fetch, normalise
from .models import BusyBlock, CalendarFeed
from .services import AvailabilityError

HORIZON_DAYS = 183  # about two terms ahead
REFRESH_HOURS = 6
FEEDS_PER_PASS = 20


def _window(now: datetime) -> tuple[datetime, datetime]:
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return today, today + timedelta(days=HORIZON_DAYS)


def _busy(data: bytes, now: datetime, field: str) -> list[Interval]:
    first, last = _window(now)
    try:
        return busy_intervals(data, first, last, timezone.get_current_timezone())
    except CalendarFileError as exc:
        raise AvailabilityError(str(exc), field=field) from exc


def _replace(member, source: str, intervals: list[Interval]) -> None:
    """Inside the caller's transaction: this source's blocks become exactly `intervals`."""
    BusyBlock.objects.filter(member=member, source=source).delete()
    BusyBlock.objects.bulk_create(
        BusyBlock(member=member, source=source, starts_at=s, ends_at=e) for s, e in intervals
    )


def import_file(member, data: bytes, *, now: datetime | None = None) -> int:
    """The busy times of an uploaded calendar replace those of the member's last file."""
    intervals = _busy(data, now or timezone.now(), "calendar_file")
    with transaction.atomic():
        _replace(member, BusyBlock.Source.FILE, intervals)
    return len(intervals)


def forget_file(member) -> int:
    deleted, _ = BusyBlock.objects.filter(member=member, source=BusyBlock.Source.FILE).delete()
    return deleted


def set_feed(member, url: str, *, now: datetime | None = None) -> CalendarFeed:
    """Read the feed now (so a wrong address is said at once) and keep it for refreshing."""
    now = now or timezone.now()
    try:
        clean = normalise(url)
        data = fetch(clean)
    except FeedError as exc:
        raise AvailabilityError(str(exc), field="feed_url") from exc
    intervals = _busy(data, now, "feed_url")
    with transaction.atomic():
        feed, _ = CalendarFeed.objects.update_or_create(
            member=member, defaults={"url": clean, "fetched_at": now, "problem": ""}
        )
        _replace(member, BusyBlock.Source.FEED, intervals)
    return feed


def remove_feed(member) -> None:
    with transaction.atomic():
        CalendarFeed.objects.filter(member=member).delete()
        BusyBlock.objects.filter(member=member, source=BusyBlock.Source.FEED).delete()


def refresh_feeds(now: datetime | None = None, **signal_kwargs) -> int:
    """Re-read the feeds not read for a while (a `periodic_task` receiver); how many were read.

    Derived from `fetched_at`, so a missed run catches up and a repeated one finds nothing due.
    A feed that fails keeps its last busy times and shows the member the problem.
    """
    now = now or timezone.now()
    due = CalendarFeed.objects.filter(
        Q(fetched_at__isnull=True) | Q(fetched_at__lt=now - timedelta(hours=REFRESH_HOURS))
    ).order_by("fetched_at")[:FEEDS_PER_PASS]
    done = 0
    for feed in list(due):
        try:
            intervals = _busy(fetch(feed.url), now, "feed_url")
        except (FeedError, AvailabilityError) as exc:
            CalendarFeed.objects.filter(pk=feed.pk).update(fetched_at=now, problem=str(exc)[:200])
            continue
        with transaction.atomic():
            if not CalendarFeed.objects.filter(pk=feed.pk, url=feed.url).update(
                fetched_at=now, problem=""
            ):
                continue  # removed or changed meanwhile
            _replace(feed.member, BusyBlock.Source.FEED, intervals)
        done += 1
    return done
