"""What matters now for this member, shown on the home page: feedback awaiting them.

A `home_sections` receiver, connected in FeedbackConfig.ready(). Its only booking reads are the
member's own rows (attended), so others' bookings leave it remembered (a `Cover`)."""

from feedback.selectors.eligibility import awaiting_first
from meded.home import home_section
from sessions_app.booking.fingerprint import member_bookings


@home_section("feedback", cover=member_bookings)
def section(request, **kwargs):
    sessions = awaiting_first(request.user)
    if not sessions:
        return None
    return {"template": "feedback/_home_section.html", "awaiting": sessions}
