"""The demo has rounds in several states and the demo tutor accepted in the current round."""

import pytest
from django.core.management import call_command

from tutors.models import Application, InterviewSlot, RecruitmentRound, Review

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_recruitment_once(demo_society):
    counts = (Application.objects.count(), Review.objects.count(), InterviewSlot.objects.count())
    call_command("seed_demo")
    assert (
        Application.objects.count(),
        Review.objects.count(),
        InterviewSlot.objects.count(),
    ) == counts
    states = set(RecruitmentRound.objects.values_list("state", flat=True))
    assert {"applications_open", "ranking", "published"} <= states
    current = RecruitmentRound.objects.get(state="ranking")
    assert current.applications.get(applicant__email="tutor@demo.meded.test").status == "accepted"
    open_round = RecruitmentRound.objects.get(state="applications_open")
    assert open_round.takes_applications
    assert open_round.applications.exclude(status="draft").count() >= 100
    assert open_round.applications.filter(status="interview_booked").exists()
