"""Email kinds of recruitment (templates in templates/emails/tutors_*)."""

from meded.notifications import register_kind

register_kind("tutors_application_received", "Your tutor application was received")
register_kind("tutors_interview_invitation", "You are invited to a tutor interview")
register_kind("tutors_interview_booked", "Your tutor interview is booked (with calendar file)")
register_kind("tutors_interview_cancelled", "Your tutor interview booking is cancelled")
register_kind("tutors_decision", "The decision on your tutor application")
