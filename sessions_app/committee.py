"""What the sessions app puts on the committee's home (a `committee_tasks` receiver)."""

from __future__ import annotations

from django.urls import reverse

from meded.committee import CommitteeTask
from meded.roles import is_committee
from sessions_app.resources.selectors import review_queue
from sessions_app.scheduling.selectors import clashing_ids, needs_setup


def tasks(request=None, **kwargs) -> list[CommitteeTask]:
    if not is_committee(request.user):
        return []
    sessions = reverse("sessions_app:committee_list")
    return [
        CommitteeTask(
            "Sessions",
            "draft sessions without a tutor or a room",
            needs_setup().count(),
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
            review_queue().count(),
            reverse("sessions_app:resource_review"),
        ),
    ]
