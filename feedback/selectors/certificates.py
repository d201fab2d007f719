"""What a member's certificates page lists: their certificates and the series they attended."""

from __future__ import annotations

from django.db.models import QuerySet

from feedback.models import Certificate
from sessions_app.models import Series


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
    from django.db.models import Count, Q
    from django.utils import timezone

    mine = Q(sessions__bookings__student=user, sessions__bookings__status="confirmed")
    # The series chosen apart (a subquery): filtering on the member's bookings in the same
    # query would narrow the counts below to the sessions they booked, not the series' own.
    booked = Series.objects.filter(mine).values("pk")
    rows = (
        Series.objects.filter(pk__in=booked)
        .annotate(
            attended=Count(
                "sessions", filter=mine & Q(sessions__bookings__attended=True), distinct=True
            ),
            total=Count("sessions", filter=Q(sessions__status="published"), distinct=True),
            held=Count(
                "sessions",
                filter=Q(sessions__status="published", sessions__ends_at__lte=timezone.now()),
                distinct=True,
            ),
        )
        .order_by("title")
    )
    return [{"series": s, "attended": s.attended, "held": s.held, "total": s.total} for s in rows]
