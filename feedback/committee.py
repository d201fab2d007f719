"""What feedback puts on the committee's home (a `committee_tasks` receiver)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from feedback.disclosure import k as min_responses
from feedback.selectors.review import review_queue
from meded.committee import CommitteeTask
from meded.roles import is_committee
from sessions_app.scheduling.models import TeachingSession

# Sessions further back than this are history: too late to chase feedback for them.
RECENT = timedelta(days=28)


def below_threshold():
    """Sessions whose feedback window closed in the last four weeks with fewer responses than
    the threshold (their results stay hidden). Only closed windows count, so the figure never
    moves while students are answering (feedback/disclosure.py: release at close)."""
    closed = timezone.now() - timedelta(days=settings.MEDED_FEEDBACK_WINDOW_DAYS)
    return (
        TeachingSession.objects.filter(
            status=TeachingSession.Status.PUBLISHED,
            ends_at__lte=closed,
            ends_at__gt=closed - RECENT,
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
