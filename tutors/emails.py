"""Email kinds of the tutors app (register here; templates in templates/emails/tutors_*)."""

from meded.notifications import register_due, register_kind

register_kind("tutors_application_received", "Your tutor application was received")
register_kind("tutors_interview_invitation", "You are invited to a tutor interview")
register_kind("tutors_interview_booked", "Your tutor interview is booked (with calendar file)")
register_kind("tutors_interview_cancelled", "Your tutor interview booking is cancelled")
register_kind("tutors_decision", "The decision on your tutor application")

# Topic allocation (issue 4): see tutors/services/allocating.py and tutors/services/ranking.py.
register_kind("allocation_published", "Your allocated teaching topics")
register_kind(
    "ranking_deadline_reminder",
    "Reminder: rank your teaching topics before the deadline",
    "tutoring",
)


def _ranking_reminders() -> int:
    from tutors.services.ranking import send_ranking_reminders

    return send_ranking_reminders()


register_due("ranking_deadline_reminder", _ranking_reminders)
