"""Read queries for bookings: a member's bookings, the register, the waiting list, the calendar
feed and no-shows, each written once with its joins."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone

from meded.models import User
from meded.prepared import Prepared, PreparedForIds
from sessions_app.booking.models import ActiveBookingStatuses, Booking
from sessions_app.scheduling.models import TeachingSession

Status = Booking.Status


def active_booking(user: User, session: TeachingSession) -> Booking | None:
    if not user.is_authenticated:
        return None
    return (
        Booking.objects.filter(session=session, student=user, status__in=ActiveBookingStatuses)
        .order_by("-joined_at")
        .first()
    )


def my_relations(user: User, session_ids: list[int]) -> dict[int, str]:
    """The member's own tie to each of these sessions (the personal part of a list's badges):
    their active booking's status, else "teaching" where they are one of its tutors.

    Read afresh on every request, in one read compiled once per process: cheaper than a
    remembered value, which every booking by anyone at the start of term would drop."""
    if not user.is_authenticated or not session_ids:
        return {}
    rows = _RELATIONS.rows(user.pk, ids=list(session_ids))
    found = {sid: tie for sid, tie in rows if tie == "teaching"}
    found.update((sid, tie) for sid, tie in rows if tie != "teaching")  # a booking comes first
    return found


def my_statuses(user: User, session_ids: list[int]) -> dict[int, str]:
    """The status of the member's active booking of each of these sessions (one query, compiled
    once per process and size: every cold visit of the home page and the lists asks)."""
    return dict(_STATUSES.rows(user.pk, ids=list(session_ids)))


def _statuses(user_pk: int, ids: list[int]) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(
            student_id=user_pk, session_id__in=ids, status__in=ActiveBookingStatuses
        )
        .order_by()
        .values_list("session_id", "status")
    )


def _relations(user_pk: int, ids: list[int]) -> QuerySet:
    teaching = (
        TeachingSession.tutors.through.objects.filter(user_id=user_pk, teachingsession_id__in=ids)
        .order_by()
        .annotate(tie=Value("teaching", output_field=CharField()))
        .values_list("teachingsession_id", "tie")
    )
    return teaching.union(_statuses(user_pk, ids), all=True)


_STATUSES = PreparedForIds(_statuses, 1)
_RELATIONS = PreparedForIds(_relations, 1)


def places(session_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Places taken and people waiting per session (absent: nobody), in one aggregate query
    whatever the number of sessions: the per-request half of a remembered page's badges
    (booking.state.fill_places). Not remembered itself: at the start of term a booking comes
    every few milliseconds, and the query costs less than a lookup that misses. Run on every
    visit of the pages that show places, it is compiled once per process and size."""
    rows = _PLACES.rows(ids=list(session_ids))
    return {sid: (taken, waiting) for sid, taken, waiting in rows}


def _places_query(session_ids: list[int]) -> QuerySet:
    """`places` as the ORM writes it (compiled once per process and size: `_PLACES`)."""
    from sessions_app.booking.waitlist import TAKING_A_PLACE  # waitlist imports this module

    return (
        Booking.objects.filter(
            session_id__in=session_ids, status__in=(*TAKING_A_PLACE, Status.WAITING)
        )
        .order_by()
        .values("session_id")
        .annotate(
            taken=Count("pk", filter=Q(status__in=TAKING_A_PLACE)),
            waiting=Count("pk", filter=Q(status=Status.WAITING)),
        )
        .values_list("session_id", "taken", "waiting")
    )


_PLACES = PreparedForIds(_places_query)


def my_bookings(user: User) -> QuerySet[Booking]:
    """Every booking of the member, newest session first, with the queue position when waiting."""
    ahead = Booking.objects.filter(
        session=OuterRef("session"), status=Status.WAITING, joined_at__lt=OuterRef("joined_at")
    )
    return (
        Booking.objects.filter(student=user)
        .select_related("session__topic__module", "session__series")
        .annotate(
            n_ahead=Subquery(
                ahead.order_by().values("session").annotate(c=Count("pk")).values("c")[:1]
            )
        )
        .order_by("session__starts_at", "id")
    )


def my_coming_bookings(user: User, now: datetime) -> QuerySet[Booking]:
    """The member's bookings of sessions not yet over, soonest first (cancelled ones are past)."""
    return my_bookings(user).filter(session__ends_at__gt=now).exclude(status=Status.CANCELLED)


def my_past_bookings(user: User, now: datetime) -> QuerySet[Booking]:
    """The member's past and cancelled bookings, latest session first (paged by the caller)."""
    past = Q(session__ends_at__lte=now) | Q(status=Status.CANCELLED)
    return my_bookings(user).filter(past).order_by("-session__starts_at", "-id")


def calendar_feed_sessions(user: User) -> QuerySet[TeachingSession]:
    """Confirmed bookings (kept when the session is cancelled) and sessions the member teaches."""
    booked = Booking.objects.filter(session=OuterRef("pk"), student=user).filter(
        Q(status=Status.CONFIRMED) | Q(cancel_reason="session_cancelled")
    )
    since = timezone.now() - timedelta(days=180)
    return (
        TeachingSession.objects.filter(ends_at__gte=since)
        .exclude(status=TeachingSession.Status.DRAFT)
        .filter(Q(Exists(booked)) | Q(tutors=user))
        .distinct()
        .order_by("starts_at")
    )


def register(session: TeachingSession) -> QuerySet[Booking]:
    return (
        session.bookings.filter(status=Status.CONFIRMED)
        .select_related("student")
        .order_by("student__full_name", "student__email")
    )


def waiting_list(session: TeachingSession) -> QuerySet[Booking]:
    return (
        session.bookings.filter(status__in=(Status.WAITING, Status.OFFERED))
        .select_related("student")
        .order_by("joined_at", "id")
    )


def no_show_counts() -> QuerySet[User]:
    """Members with at least one confirmed booking marked absent, most no-shows first."""
    return (
        User.objects.annotate(
            no_shows=Count(
                "bookings",
                filter=Q(bookings__status=Status.CONFIRMED, bookings__attended=False),
            ),
            attended_count=Count(
                "bookings",
                filter=Q(bookings__status=Status.CONFIRMED, bookings__attended=True),
            ),
            late_cancellations=Count("bookings", filter=Q(bookings__cancelled_late=True)),
        )
        .filter(Q(no_shows__gt=0) | Q(late_cancellations__gt=0))
        .order_by("-no_shows", "-late_cancellations", "full_name")
    )


def _undoable(now: datetime) -> Q:
    """A member's own cancellation they may still take back at `now`."""
    from sessions_app.booking.services import UNDO_WINDOW

    return _cancelled_after(now - UNDO_WINDOW)


def _cancelled_after(since: datetime) -> Q:
    from sessions_app.booking.services import UNDOABLE

    return Q(status=Status.CANCELLED, cancel_reason__in=list(UNDOABLE), cancelled_at__gt=since)


def _my_rows(user_pk: int, session_pk: int, since: datetime) -> QuerySet[Booking]:
    return Booking.objects.filter(session_id=session_pk, student_id=user_pk).filter(
        Q(status__in=ActiveBookingStatuses) | _cancelled_after(since)
    )


# The session page's own part is read again after anyone's booking: compiled once per process.
_MY_ROWS = Prepared(_my_rows, 3)


def recent_cancellation(user: User, session: TeachingSession, now) -> Booking | None:
    """The member's own cancellation of this session they may still undo, if any."""
    if not user.is_authenticated:
        return None
    return (
        Booking.objects.filter(_undoable(now), session=session, student=user)
        .order_by("-cancelled_at")
        .first()
    )


def my_place(
    user: User, session: TeachingSession, now: datetime
) -> tuple[Booking | None, Booking | None]:
    """The member's active booking of the session (`active_booking`), else the cancellation they
    may still undo (`recent_cancellation`): the personal part of the session's page, one query."""
    if not user.is_authenticated:
        return None, None
    from sessions_app.booking.services import UNDO_WINDOW

    rows = _MY_ROWS.instances(user.pk, session.pk, now - UNDO_WINDOW)
    active = [b for b in rows if b.status in ActiveBookingStatuses]
    if active:
        return max(active, key=lambda b: b.joined_at), None
    cancelled = [b for b in rows if b.cancelled_at is not None]
    return None, max(cancelled, key=lambda b: b.cancelled_at, default=None)
