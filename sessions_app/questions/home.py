"""The question bank's part of the home page: an exam open now, released results, practice,
and (for writers and reviewers) what waits for them. A `home_sections` receiver; its only booking
reads are the member's own rows (the mock exams they booked), hence its `Cover`."""

from __future__ import annotations

from meded.home import home_section
from sessions_app.booking.fingerprint import member_bookings

from .permissions import can_write, is_reviewer
from .selectors import exams_for_home, review_queue


@home_section("sessions_app.questions", cover=member_bookings)
def section(request, **signal_kwargs) -> dict:
    user = request.user
    context = {
        "template": "sessions_app/questions/_home_section.html",
        "exams": exams_for_home(user),
        "can_write": can_write(user),
        "is_reviewer": is_reviewer(user),
    }
    if context["is_reviewer"]:
        context["n_review"] = review_queue(user).count()
    return context
