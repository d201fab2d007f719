"""What the sessions app puts on the committee's home (a `committee_tasks` receiver)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from meded.committee import CommitteeTask
from meded.prepared import Prepared
from meded.roles import is_committee
from sessions_app.resources.selectors import review_queue_count
from sessions_app.scheduling.models import SlotRelease
from sessions_app.scheduling.selectors import clashing_ids, needs_setup_count
from sessions_app.scheduling.slots import waiting_topics


def tasks(request=None, **kwargs) -> list[CommitteeTask]:
    if not is_committee(request.user):
        return []
    sessions = reverse("sessions_app:committee_list")
    return [
        *_teaching_dates(),
        CommitteeTask(
            "Sessions",
            "draft sessions without a tutor or a room",
            needs_setup_count(),
            sessions + "?needs=setup",
        ),
        CommitteeTask(
            "Sessions",
            "sessions clash with another",
            len(clashing_ids()),
            sessions + "?needs=clashes",
            urgent=True,
        ),
        CommitteeTask(
            "Resources",
            "resources awaiting review",
            review_queue_count(),
            reverse("sessions_app:resource_review"),
        ),
    ]


# Asked on every visit of the committee's home after a write: compiled once per process.
_PAST_DEADLINE = Prepared(
    lambda now: SlotRelease.objects.filter(pick_deadline__lte=now).values_list(
        "round_id", "round__name"
    ),
    1,
)


def _teaching_dates() -> list[CommitteeTask]:
    """Topics of a released round still without a date once tutors can no longer pick."""
    found = []
    for round_id, round_name in _PAST_DEADLINE.rows(timezone.now()):
        found.append(
            CommitteeTask(
                f"Recruitment: {round_name}",
                "topics without a teaching date after the deadline",
                waiting_topics(round_id),
                reverse("sessions_app:committee_teaching_slots", args=[round_id]),
                urgent=True,
            )
        )
    return found
