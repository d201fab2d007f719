"""What the sessions app adds to the core's pages: the home section, the profile's calendar
panel. Receivers of `meded.signals.home_sections` and `profile_panels`, connected in apps.py."""

from datetime import timedelta

from django.utils import timezone

from meded.home import home_section
from meded.roles import is_tutor
from sessions_app.booking.models import Booking
from sessions_app.booking.selectors import my_bookings
from sessions_app.scheduling.selectors import SessionFilters, browse_sessions, tutor_sessions

HOME_LIMIT = 5
HOME_WEEK_LIMIT = 6


@home_section("sessions_app.sessions")
def section(request, **signal_kwargs) -> dict:
    """What matters now for this member: offers to claim, this week for their year, coming
    bookings, teaching."""
    user = request.user
    now = timezone.now()
    bookings = [
        b
        for b in my_bookings(user).filter(
            session__ends_at__gt=now, status__in=("confirmed", "waiting", "offered")
        )[:20]
    ]
    offers = [b for b in bookings if b.status == Booking.Status.OFFERED]
    upcoming = [b for b in bookings if b.status != Booking.Status.OFFERED][:HOME_LIMIT]
    teaching = list(tutor_sessions(user)[:HOME_LIMIT]) if is_tutor(user) else []
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    this_week = browse_sessions(
        user,
        SessionFilters(year=user.year_number, date_from=monday, date_to=monday + timedelta(days=6)),
        now=now,
    )
    return {
        "template": "sessions_app/_home_section.html",
        "this_week": list(this_week[:HOME_WEEK_LIMIT]),
        "this_week_count": this_week.count(),
        "year": user.year_number,
        "now": now,
        "offers": offers,
        "upcoming": upcoming,
        "teaching": teaching,
        "is_tutor": is_tutor(user),
    }


def calendar_panel(request, **signal_kwargs) -> str:
    """The member's private calendar feed address, on their profile."""
    return "sessions_app/_profile_calendar.html"
