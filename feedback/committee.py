"""What feedback puts on the committee's home (a `committee_tasks` receiver)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from feedback.disclosure import k as min_responses
from feedback.disclosure import releases
from feedback.selectors.eligibility import window
from feedback.selectors.review import review_queue_count
from meded.committee import CommitteeTask
from meded.prepared import Prepared
from meded.roles import is_committee
from sessions_app.scheduling.models import TeachingSession

# Sessions further back than this are history: too late to chase feedback for them.
RECENT = timedelta(days=28)


# Read on every visit of the committee's home after a write: compiled once per process.
_ENDED_BETWEEN = Prepared(
    lambda after, until: TeachingSession.objects.filter(
        status=TeachingSession.Status.PUBLISHED, ends_at__lte=until, ends_at__gt=after
    ).order_by("ends_at", "pk"),
    2,
)


def below_threshold() -> list[TeachingSession]:
    """Sessions whose feedback window closed in the last four weeks with too few responses for
    their results to be released. Release is decided by feedback/disclosure.py alone (closed
    window, >= k responses), so this figure never moves while students are answering and agrees
    with every dashboard about which sessions are hidden."""
    now = timezone.now()
    # A window closes between one and two window lengths after the session ends (a recording
    # published before the live window closed extends it): narrow the candidates by ends_at,
    # then let disclosure decide.
    candidates = _ENDED_BETWEEN.instances(now - RECENT - 2 * window(), now - window())
    state = releases(candidates, now)
    return [
        s
        for s in candidates
        if state[s.pk].closed and not state[s.pk].released and state[s.pk].closes_at > now - RECENT
    ]


def tasks(request=None, **kwargs) -> list[CommitteeTask]:
    if not is_committee(request.user):
        return []
    return [
        CommitteeTask(
            "Feedback",
            "free-text answers awaiting review",
            review_queue_count(),
            reverse("feedback:review"),
        ),
        CommitteeTask(
            "Feedback",
            f"recent sessions below {min_responses()} responses",
            len(below_threshold()),
            reverse("feedback:committee"),
            "results stay hidden until enough students answer",
        ),
    ]
