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
