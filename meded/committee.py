"""The committee's home: what needs the committee now, gathered from every app.

The core cannot import the apps above it, so each app answers the `committee_tasks` signal
with its own `CommitteeTask` items; the core adds its own (failed emails, listed here once
and nowhere else on the page) and sorts them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from meded.notifications.selectors import failed_email_count
from meded.remember import minute, remember
from meded.roles import is_committee, is_tutor
from meded.signals import collect, committee_tasks


@dataclass(frozen=True)
class CommitteeTask:
    """One thing waiting for the committee: "12 applications you have not reviewed"."""

    area: str  # the heading it is listed under, e.g. "Recruitment: 2026/27 Term 1"
    label: str  # what is waiting, counted: "applications you have not reviewed"
    count: int
    url: str  # the page that resolves it
    detail: str = ""  # a date or a deadline, in words
    urgent: bool = False  # due today or overdue

    @property
    def text(self) -> str:
        return f"{self.count} {self.label}"


def core_tasks() -> list[CommitteeTask]:
    n = failed_email_count()
    if not n:
        return []
    return [
        CommitteeTask(
            "Emails",
            "email" + ("s" if n != 1 else "") + " could not be delivered",
            n,
            reverse("committee_outbox") + "?status=failed",
            urgent=True,
        )
    ]


def tasks_for(request) -> list[CommitteeTask]:
    """Every app's waiting items with a count above zero, urgent first, then by area.

    Remembered per member and minute (some counts are the member's own, deadlines move with the
    clock) until any table behind a count is written."""

    def compute() -> list[CommitteeTask]:
        found: list[CommitteeTask] = list(core_tasks())
        for items in collect(committee_tasks, request=request):
            found.extend(items)
        found = [t for t in found if t.count > 0]
        return sorted(found, key=lambda t: (not t.urgent, t.area))

    user = request.user
    parts = (user.pk, is_committee(user), is_tutor(user), minute())
    return remember("committee_tasks", parts, compute)
