"""Email kinds of topic allocation: see services/runs.py (published) and services/ranking.py."""

from meded.notifications import register_kind

register_kind("allocation_published", "Your allocated teaching topics")
register_kind(
    "ranking_deadline_reminder",
    "Reminder: rank your teaching topics before the deadline",
    "tutoring",
)
register_kind("topic_swapped", "Your teaching topic changed: an approved swap")
