"""After seed_demo, every upcoming session's waiting list is in a state the product reaches."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sessions_app.booking.waitlist import invariant_breaches
from sessions_app.models import Booking, TeachingSession
from tests.factories.sessions import BookingFactory, TeachingSessionFactory


def test_after_seed_demo_every_upcoming_session_keeps_the_waiting_list_rules(demo_society):
    assert invariant_breaches() == []
    now = timezone.now()
    upcoming = TeachingSession.objects.filter(status="published", starts_at__gt=now)
    # The demo still shows queues and offers, so the check is not vacuous.
    assert Booking.objects.filter(session__in=upcoming, status="waiting").exists()
    assert Booking.objects.filter(session__in=upcoming, status="offered").exists()
    # Cancellations on upcoming sessions went through the service (so the place was offered on).
    assert Booking.objects.filter(
        session__in=upcoming, status="cancelled", cancel_reason="student"
    ).exists()


@pytest.mark.django_db
def test_the_check_names_each_broken_rule():
    now = timezone.now()
    s = TeachingSessionFactory(capacity=1, starts_at=now + timedelta(days=2))
    BookingFactory(session=s, status="waiting")
    early = TeachingSessionFactory(
        capacity=5, starts_at=now + timedelta(days=30), booking_opens=now + timedelta(days=9)
    )
    BookingFactory(session=early)
    late = TeachingSessionFactory(capacity=1, starts_at=now + timedelta(days=2))
    BookingFactory(session=late, status="offered", offer_expires_at=now - timedelta(hours=1))
    BookingFactory(session=late)
    breaches = "\n".join(invariant_breaches(now=now))
    assert f"session {s.pk} " in breaches and "a free place while 1 wait" in breaches
    assert f"session {early.pk} " in breaches and "before booking opens" in breaches
    assert "2 places taken of 1" in breaches and "past their time" in breaches
