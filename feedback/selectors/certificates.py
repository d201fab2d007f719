"""What a member's certificates page lists: their certificates and the series they attended."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from feedback.models import Certificate
from meded.prepared import Prepared
from sessions_app.models import Series
from tutors.models import RecruitmentRound


def certificates_of(user) -> QuerySet[Certificate]:
    return Certificate.objects.filter(user=user).order_by("-issued_at")


def attended_series(user) -> QuerySet[Series]:
    return (
        Series.objects.filter(
            sessions__bookings__student=user,
            sessions__bookings__status="confirmed",
            sessions__bookings__attended=True,
        )
        .distinct()
        .order_by("title")
    )


def attendance_progress(user) -> list[dict]:
    """For each series the member booked into: sessions attended, held so far and in all, so
    the certificates page can say what earns a certificate and how far along they are. One
    query (counts per series)."""
    rows = _progress(user, timezone.now())
    return [{"series": s, "attended": s.attended, "held": s.held, "total": s.total} for s in rows]


def _progress(user, now: datetime) -> QuerySet[Series]:
    mine = Q(sessions__bookings__student=user, sessions__bookings__status="confirmed")
    # The series chosen apart (a subquery): filtering on the member's bookings in the same
    # query would narrow the counts below to the sessions they booked, not the series' own.
    booked = Series.objects.filter(mine).values("pk")
    return (
        Series.objects.filter(pk__in=booked)
        .annotate(
            attended=Count(
                "sessions", filter=mine & Q(sessions__bookings__attended=True), distinct=True
            ),
            total=Count("sessions", filter=Q(sessions__status="published"), distinct=True),
            held=Count(
                "sessions",
                filter=Q(sessions__status="published", sessions__ends_at__lte=now),
                distinct=True,
            ),
        )
        .order_by("title")
    )


# The certificates page is computed again after any write to the tables it read; each of its
# reads compiled on every such visit cost more than it took to run. Compiled once per process:


def certificates_list(user) -> list[Certificate]:
    """`certificates_of`, newest first."""
    return _CERTIFICATES.instances(user.pk)


def attended_series_list(user) -> list[Series]:
    """`attended_series`, by title."""
    return _ATTENDED.instances(user.pk)


def attendance_progress_rows(user) -> list[dict]:
    """`attendance_progress`, read by a statement compiled once per process."""
    rows = _PROGRESS.instances(user.pk, timezone.now())
    return [{"series": s, "attended": s.attended, "held": s.held, "total": s.total} for s in rows]


def round_options() -> list[tuple[int, str]]:
    """The teaching certificate's rounds, latest opening first, as (id, name)."""
    return _ROUNDS.rows()


_CERTIFICATES = Prepared(lambda user_pk: certificates_of(user_pk), 1)
_ATTENDED = Prepared(lambda user_pk: attended_series(user_pk), 1)
_PROGRESS = Prepared(lambda user_pk, now: _progress(user_pk, now), 2)
_ROUNDS = Prepared(
    lambda: RecruitmentRound.objects.order_by("-applications_open").values_list("id", "name"), 0
)
