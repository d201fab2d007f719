"""What feedback puts on the committee's home (a `committee_tasks` receiver)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from feedback.selectors.dashboards import min_responses
from feedback.selectors.review import review_queue
from meded.committee import CommitteeTask
from meded.roles import is_committee
from sessions_app.scheduling.models import TeachingSession

# Sessions further back than this are history: too late to chase feedback for them.
RECENT = timedelta(days=28)


def below_threshold():
    """Published sessions of the last four weeks with fewer responses than the threshold
    (their results stay hidden from tutors until enough students answer)."""
    now = timezone.now()
    return (
        TeachingSession.objects.filter(
            status=TeachingSession.Status.PUBLISHED, ends_at__lte=now, ends_at__gt=now - RECENT
        )
        .annotate(n=Count("feedback_responses"))
        .filter(n__lt=min_responses())
    )


def tasks(request=None, **kwargs) -> list[CommitteeTask]:
    if not is_committee(request.user):
        return []
    return [
        CommitteeTask(
            "Feedback",
            "free-text answers awaiting review",
            review_queue().count(),
            reverse("feedback:review"),
        ),
        CommitteeTask(
            "Feedback",
            f"recent sessions below {min_responses()} responses",
            below_threshold().count(),
            reverse("feedback:committee"),
            "results stay hidden until enough students answer",
        ),
    ]
