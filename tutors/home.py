"""What matters now for this member (home page section), and the tutor page's links."""

from __future__ import annotations

from django.urls import reverse

from meded.home import home_section
from meded.roles import is_tutor
from tutors.recruitment.selectors import member_applications
from tutors.recruitment.services.recruitment import open_round_for

# (label, url name) links shown on /tutors/ to tutors.
TUTOR_LINKS: list[tuple[str, str]] = [
    ("Rank the topics you would like to teach", "tutors_rankings"),
    ("Choose the dates you teach your topics", "sessions_app:my_teaching_slots"),
    ("Offer a topic for swap", "tutors_swaps"),
    ("Your teaching portfolio (page, PDF, private link)", "feedback:portfolio"),
    ("Fast track for returning tutors", "tutors_fast_track"),
    (
        "Your teaching load: upcoming sessions, deadlines, ask for cover",
        "sessions_app:teaching_load",
    ),
]


_CURRENT = ("draft", "submitted", "shortlisted", "interview_booked", "waiting_list")


def tutor_links(user) -> list[dict[str, str]]:
    if not is_tutor(user):
        return []
    return [{"label": label, "url": reverse(name)} for label, name in TUTOR_LINKS]


@home_section("tutors")
def section(request=None, **kwargs):
    """A `meded.signals.home_sections` receiver: application status, an open round or an
    interview to book (None when there is nothing to show)."""
    user = request.user
    if not user.is_authenticated:
        return None
    # every application of the member (a few, one per round at most), with what a line prints
    applications = list(
        member_applications(user)
        .select_related(None)
        .select_related("round")
        .only("id", "status", "fast_track", "round__name", "round__applications_open")
    )
    current = [a for a in applications[:5] if a.status in _CURRENT]
    open_round = open_round_for(user)
    applied = open_round is not None and any(a.round_id == open_round.pk for a in applications)
    if not current and (open_round is None or applied):
        return None
    return {
        "template": "tutors/_home_section.html",
        "tutor_applications": current,
        "open_round": open_round if open_round and not applied else None,
    }
