"""Read queries for finding teaching and scheduling it, written once with their joins so no page
does N+1: places left, the member's own status, the committee's list, a tutor's sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from meded.models import User, Year
from meded.prepared import Prepared
from sessions_app.booking.models import ActiveBookingStatuses, Booking
from sessions_app.booking.waitlist import TAKING_A_PLACE
from sessions_app.scheduling.models import Series, TeachingSession

Status = Booking.Status


def _count(statuses) -> Coalesce:
    counted = (
        Booking.objects.filter(session=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_places(qs: QuerySet[TeachingSession]) -> QuerySet[TeachingSession]:
    """Annotate taken places (confirmed + offered) and waiting count, as correlated subqueries
    (no join fan-out, so no DISTINCT and a cheap COUNT for the paginator)."""
    return qs.annotate(
        n_taken=_count(TAKING_A_PLACE),
        n_waiting=_count((Status.WAITING,)),
        n_left=F("capacity") - F("n_taken"),  # NULL: unlimited
    )


def with_my_booking(qs: QuerySet[TeachingSession], user: User) -> QuerySet[TeachingSession]:
    mine = Booking.objects.filter(
        session=OuterRef("pk"), student=user, status__in=ActiveBookingStatuses
    )
    return qs.annotate(my_status=Subquery(mine.values("status")[:1]))


def base_sessions() -> QuerySet[TeachingSession]:
    return TeachingSession.objects.select_related("topic__module", "series").prefetch_related(
        "tutors", "target_years"
    )


def card_sessions() -> QuerySet[TeachingSession]:
    """Sessions for the browse cards: the topic and module, and only the tutor and year fields a
    card prints (a tutor's name, a year's number)."""
    return TeachingSession.objects.select_related("topic__module").prefetch_related(
        Prefetch("tutors", queryset=User.objects.only(*User.DISPLAY_FIELDS)),
        Prefetch("target_years", queryset=Year.objects.only("id", "number")),
    )


@dataclass
class SessionFilters:
    year: int | None = None
    module: str = ""
    topic: str = ""
    kind: str = ""
    delivery: str = ""
    date_from: date | None = None
    date_to: date | None = None
    has_places: bool = False
    q: str = ""


def day_start(day: date) -> datetime:
    """The first moment of `day` in local time: where a filter on dates starts and stops."""
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone())


def browse_sessions(
    user: User | None,
    filters: SessionFilters,
    *,
    now: datetime | None = None,
    places: bool = True,
) -> QuerySet[TeachingSession]:
    """Upcoming published sessions matching the filters, with places and, given a member, their
    own status (`my_status`); without one, what every member shares. `places=False` leaves the
    counts out (a remembered page fills them per request), so no booking row is read -- unless
    the filter asks for sessions with places left, which the counts decide."""
    now = now or timezone.now()
    qs = card_sessions().filter(status=TeachingSession.Status.PUBLISHED, ends_at__gt=now)
    if filters.year:
        targets = TeachingSession.target_years.through.objects.filter(
            teachingsession_id=OuterRef("pk")
        )
        qs = qs.filter(Exists(targets.filter(year__number=filters.year)) | ~Exists(targets))
    if filters.module:
        qs = qs.filter(topic__module__slug=filters.module)
    if filters.topic:
        qs = qs.filter(topic__code__iexact=filters.topic)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.delivery:
        qs = qs.filter(delivery=filters.delivery)
    if filters.date_from:
        qs = qs.filter(starts_at__gte=day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(starts_at__lt=day_start(filters.date_to + timedelta(days=1)))
    if filters.q:
        words = filters.q.split()[:6]
        for word in words:
            qs = qs.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(topic__title__icontains=word)
                | Q(topic__code__icontains=word)
                | Q(series__title__icontains=word)
            )
    if places or filters.has_places:
        qs = with_places(qs)
    if user is not None:
        qs = with_my_booking(qs, user)
    if filters.has_places:
        qs = qs.filter(Q(capacity__isnull=True) | Q(capacity__gt=F("n_taken")))
    return qs.order_by("starts_at", "id")


def session_detail(pk: int) -> TeachingSession:
    return with_places(base_sessions()).get(pk=pk)


def needs_setup(now: datetime | None = None) -> QuerySet[TeachingSession]:
    """Upcoming drafts that cannot be published yet: no tutor, or no room for in-person teaching."""
    S = TeachingSession
    return (
        S.objects.filter(status=S.Status.DRAFT, ends_at__gt=now or timezone.now())
        .filter(Q(tutors__isnull=True) | (Q(venue="") & ~Q(delivery=S.Delivery.ONLINE)))
        .distinct()
    )


def needs_setup_count() -> int:
    """How many sessions `needs_setup` lists (the committee's home: a read compiled once)."""
    return _NEEDS_SETUP.count(timezone.now())


def _upcoming(now: datetime) -> QuerySet[TeachingSession]:
    return TeachingSession.objects.exclude(status=TeachingSession.Status.CANCELLED).filter(
        ends_at__gt=now
    )


def _upcoming_links(through, column: str):
    """(session, tutor or year) pairs of the upcoming sessions, for `clashing_ids`."""
    return lambda now: (
        through.objects.filter(teachingsession__in=_upcoming(now))
        .order_by()
        .values_list("teachingsession_id", column)
    )


# The committee's home asks these on every visit after a write: compiled once per process.
_NEEDS_SETUP = Prepared(lambda now: needs_setup(now).order_by().values("pk"), 1)
_UPCOMING = Prepared(
    lambda now: (
        _upcoming(now)
        .order_by("starts_at", "id")
        .values_list("id", "starts_at", "ends_at", "venue")
    ),
    1,
)
_UPCOMING_TUTORS = Prepared(_upcoming_links(TeachingSession.tutors.through, "user_id"), 1)
_UPCOMING_YEARS = Prepared(_upcoming_links(TeachingSession.target_years.through, "year_id"), 1)


def clashing_ids() -> set[int]:
    """Upcoming sessions that overlap another in time and share a tutor, a room or a year group
    (the rules of scheduling.services.find_clashes), found in one pass over start times. Reads
    are compiled once per process (meded/prepared.py): the committee's home pays for this on
    every visit after a write."""
    now = timezone.now()
    sessions = _UPCOMING.converted_rows(now)
    tutors: dict[int, set[int]] = {}
    for sid, uid in _UPCOMING_TUTORS.rows(now):
        tutors.setdefault(sid, set()).add(uid)
    years: dict[int, set[int]] = {}
    for sid, yid in _UPCOMING_YEARS.rows(now):
        years.setdefault(sid, set()).add(yid)
    found: set[int] = set()
    empty: set[int] = set()
    for i, (a, _, a_ends, a_venue) in enumerate(sessions):
        tutors_a, venue_a, years_a = (
            tutors.get(a, empty),
            a_venue.strip().lower(),
            years.get(a, empty),
        )
        for b, b_starts, _, b_venue in sessions[i + 1 :]:
            if b_starts >= a_ends:
                break
            tutors_b, years_b = tutors.get(b, empty), years.get(b, empty)
            shared_years = not years_a or not years_b or years_a & years_b
            if (
                (tutors_a & tutors_b)
                or (venue_a and venue_a == b_venue.strip().lower())
                or (shared_years and (years_a or years_b))
            ):
                found.update((a, b))
    return found


NEEDS = {"setup": "Drafts missing a tutor or a room", "clashes": "Clashing with another session"}


def committee_sessions(
    status: str = "", when: str = "upcoming", needs: str = "", *, places: bool = True
) -> QuerySet[TeachingSession]:
    """The committee's list; with the places unless `places=False` (no booking read). It prints
    each session's own fields and its tutors' names: nothing else is joined or prefetched."""
    now = timezone.now()
    listed = TeachingSession.objects.prefetch_related(
        Prefetch("tutors", queryset=User.objects.only(*User.DISPLAY_FIELDS))
    )
    qs = with_places(listed) if places else listed
    if status:
        qs = qs.filter(status=status)
    if needs == "setup":
        qs = qs.filter(pk__in=needs_setup().values("pk"))
    elif needs == "clashes":
        qs = qs.filter(pk__in=clashing_ids())
    if when == "past":
        qs = qs.filter(ends_at__lte=now).order_by("-starts_at", "id")
    else:
        qs = qs.filter(ends_at__gt=now).order_by("starts_at", "id")
    return qs


def tutor_sessions(
    user: User | int,
    *,
    upcoming: bool = True,
    places: bool = True,
    now: datetime | None = None,
) -> QuerySet[TeachingSession]:
    """The sessions a tutor (or a tutor's id) teaches, as of `now`; with their places unless
    `places=False` (no booking read)."""
    now = now or timezone.now()
    qs = base_sessions().filter(tutors=user)
    if places:
        qs = with_places(qs)
    qs = qs.exclude(status=TeachingSession.Status.CANCELLED)
    if upcoming:
        return qs.filter(ends_at__gt=now).order_by("starts_at")
    return qs.filter(ends_at__lte=now).order_by("-starts_at")


def series_with_sessions(pk: int, *, upcoming_at: datetime | None = None) -> Series:
    """A series with its published sessions (those not ended at `upcoming_at`, if given); no
    places (its page fills them per request, booking.state.fill_places)."""
    sessions = base_sessions().filter(status=TeachingSession.Status.PUBLISHED)
    if upcoming_at is not None:
        sessions = sessions.filter(ends_at__gt=upcoming_at)
    upcoming = sessions.order_by("starts_at")
    return get_object_or_404(
        Series.objects.prefetch_related(Prefetch("sessions", queryset=upcoming)), pk=pk
    )


def period_sessions(filters: SessionFilters, first: date, last: date) -> QuerySet[TeachingSession]:
    """Sessions from `first` to `last` inclusive (month and week views), as filtered: only what
    a calendar cell prints (time, title), no tutors, years or bookings (the member's own badge
    is put in per request)."""
    period = SessionFilters(**{**filters.__dict__, "date_from": first, "date_to": last})
    start = datetime.combine(first, datetime.min.time(), tzinfo=timezone.get_current_timezone())
    qs = browse_sessions(None, period, now=min(timezone.now(), start), places=False)
    return qs.select_related(None).prefetch_related(None).only("id", "title", "starts_at")
