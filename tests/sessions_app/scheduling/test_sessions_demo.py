"""The demo term: every kind and delivery, past and future, bookings, queues, attendance."""

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from meded.models import User
from sessions_app.models import Booking, TeachingSession

pytestmark = pytest.mark.django_db


def test_demo_term_is_complete_consistent_and_idempotent(demo_society):
    counts = (TeachingSession.objects.count(), Booking.objects.count())
    call_command("seed_demo")
    assert (TeachingSession.objects.count(), Booking.objects.count()) == counts

    now = timezone.now()
    sessions = TeachingSession.objects.all()
    assert set(sessions.values_list("kind", flat=True)) == set(TeachingSession.Kind.values)
    assert set(sessions.values_list("delivery", flat=True)) == set(TeachingSession.Delivery.values)
    assert sessions.filter(ends_at__lt=now).exists() and sessions.filter(starts_at__gt=now).exists()
    assert set(sessions.values_list("status", flat=True)) == {"draft", "published", "cancelled"}
    assert Booking.objects.filter(status="waiting").exists()
    assert Booking.objects.filter(attended=True).exists()
    assert Booking.objects.filter(attended=False).exists()

    over = sessions.annotate(
        taken=Count("bookings", filter=Q(bookings__status__in=["confirmed", "offered"]))
    ).filter(capacity__isnull=False, taken__gt=F("capacity"))
    assert not over.exists()

    student = User.objects.get(email="student@demo.meded.test")
    statuses = set(Booking.objects.filter(student=student).values_list("status", flat=True))
    assert {"confirmed", "waiting", "offered"} <= statuses
    tutor = User.objects.get(email="tutor@demo.meded.test")
    assert tutor.teaching_sessions.filter(starts_at__gt=now).exists()
