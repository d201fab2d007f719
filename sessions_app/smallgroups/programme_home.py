"""What small-group programmes add to the member's home and the committee's home
(`home_sections` and `committee_tasks` receivers, connected in sessions_app/apps.py)."""

from __future__ import annotations

from django.urls import reverse

from meded.committee import CommitteeTask
from meded.home import home_section
from meded.roles import is_committee

from .programme_selectors import for_home, open_requests, unpublished_programmes


@home_section("sessions_app.smallgroups")
def section(request, **signal_kwargs) -> dict | None:
    """Programmes open to the member's year, or the groups they are in or lead."""
    found = for_home(request.user)
    if not (found["open"] or found["groups"] or found["leading"]):
        return None
    return {"template": "sessions_app/smallgroups/_home_section.html", **found}


def tasks(request=None, **kwargs) -> list[CommitteeTask]:
    if not is_committee(request.user):
        return []
    index = reverse("sessions_app:programmes")
    return [
        CommitteeTask(
            "Small groups", "requests to move a small group", open_requests().count(), index
        ),
        CommitteeTask(
            "Small groups",
            "small-group programmes with groups not yet published",
            unpublished_programmes().count(),
            index,
        ),
    ]
