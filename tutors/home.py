"""What matters now for this member (home page section), and the tutor page's links."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import NoReverseMatch, reverse

from meded.roles import is_tutor

# (label, url name) links shown on /tutors/ to tutors; other parts of the app append here,
# e.g. register_tutor_link("Rank your topics", "tutors_rankings").
TUTOR_LINKS: list[tuple[str, str]] = []


def register_tutor_link(label: str, url_name: str | Callable) -> None:
    if (label, url_name) not in TUTOR_LINKS:
        TUTOR_LINKS.append((label, url_name))


def tutor_links(user) -> list[dict[str, str]]:
    if not is_tutor(user):
        return []
    links = []
    for label, target in TUTOR_LINKS:
        try:
            url = target(user) if callable(target) else reverse(target)
        except NoReverseMatch:
            continue
        if url:
            links.append({"label": label, "url": url})
    return links


def section(request):
    """Application status, an open round or an interview to book."""
    from tutors.selectors import member_applications
    from tutors.services.recruitment import open_round_for

    user = request.user
    if not user.is_authenticated:
        return None
    current = [
        a
        for a in member_applications(user)[:5]
        if a.status in ("draft", "submitted", "shortlisted", "interview_booked", "waiting_list")
    ]
    open_round = open_round_for(user)
    applied = {a.round_id for a in member_applications(user)}
    if not current and (open_round is None or open_round.pk in applied):
        return None
    return {
        "template": "tutors/_home_section.html",
        "tutor_applications": current,
        "open_round": open_round if open_round and open_round.pk not in applied else None,
    }


register_tutor_link("Rank the topics you would like to teach", "tutors_rankings")
