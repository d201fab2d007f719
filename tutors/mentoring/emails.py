"""Email kinds of mentoring (templates in templates/emails/mentoring_*)."""

from meded.notifications import register_kind

register_kind("mentoring_introduction", "Your mentor or mentee: an introduction")
register_kind("mentoring_check_in", "Have you met? A two-click check-in", "checkins")
register_kind("mentoring_change_requested", "A mentee asked for a different mentor (committee)")
