"""What the sessions app erases with a member's account: availability, free text about them,
and their places on sessions still to come (freed for the waiting list). Past bookings stay:
they are the sessions' attendance counts, and point at the anonymised former member."""

from __future__ import annotations

from django.utils import timezone

from sessions_app.booking import services as booking
from sessions_app.booking.models import Booking
from sessions_app.cover.models import CoverRequest
from sessions_app.questions.models import OsceSheet
from sessions_app.smallgroups.models import AvailabilityException, WeeklyAvailability


def erase_member(member, **kwargs) -> list[str]:
    now = timezone.now()
    upcoming = Booking.objects.filter(student=member, session__ends_at__gt=now).exclude(
        status=Booking.Status.CANCELLED
    )
    for place in upcoming:
        booking.cancel(member, place, now=now)  # the next on the waiting list is offered it
    WeeklyAvailability.objects.filter(member=member).delete()
    AvailabilityException.objects.filter(member=member).delete()
    CoverRequest.objects.filter(tutor=member).update(note="")
    OsceSheet.objects.filter(candidate=member).update(comments="")
    return []
