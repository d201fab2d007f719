"""What matters now for this member, shown on the home page: offers, bookings, teaching."""

from django.utils import timezone

from meded.roles import is_tutor
from sessions_app import selectors
from sessions_app.models import Booking

HOME_LIMIT = 5


def section(request):
    user = request.user
    now = timezone.now()
    bookings = [
        b
        for b in selectors.my_bookings(user).filter(
            session__ends_at__gt=now, status__in=("confirmed", "waiting", "offered")
        )[:20]
    ]
    offers = [b for b in bookings if b.status == Booking.Status.OFFERED]
    upcoming = [b for b in bookings if b.status != Booking.Status.OFFERED][:HOME_LIMIT]
    teaching = list(selectors.tutor_sessions(user)[:HOME_LIMIT]) if is_tutor(user) else []
    return {
        "template": "sessions_app/_home_section.html",
        "offers": offers,
        "upcoming": upcoming,
        "teaching": teaching,
        "is_tutor": is_tutor(user),
    }
