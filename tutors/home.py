"""What matters now for this member (home page section), and the tutor page's links."""

from __future__ import annotations

from django.db.models import F
from django.urls import reverse

from meded.home import home_section
from meded.prepared import Prepared
from meded.roles import is_tutor
from tutors.models import RecruitmentRound
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


def _applications(user_pk: int):
    """The member's applications, latest round first, with the round's name (a line's text)."""
    return (
        member_applications(user_pk)
        .select_related(None)
        .annotate(round_name=F("round__name"))
        .only("id", "status", "fast_track", "round")
    )


# Every cold visit of the home page reads them: compiled once per process.
_APPLICATIONS = Prepared(_applications, 1)


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
    applications = _APPLICATIONS.instances(user.pk)
    for a in applications:
        a.round = RecruitmentRound(pk=a.round_id, name=a.round_name)
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
