"""seed_demo adds varied, realistic feedback once; the demo tutor can see results."""

import pytest
from django.core.management import call_command
from django.db.models import Avg, Count

from feedback.models import Answer, Certificate, HasAnswered, Response
from feedback.selectors.dashboards import tutor_dashboard
from feedback.selectors.eligibility import awaiting
from meded.models import User


@pytest.mark.django_db
def test_seed_demo_feedback_is_varied_idempotent_and_visible(demo_society):
    counts = (Response.objects.count(), Answer.objects.count(), HasAnswered.objects.count())
    call_command("seed_demo")
    assert (Response.objects.count(), Answer.objects.count(), HasAnswered.objects.count()) == counts
    assert counts[0] > 100 and counts[0] == counts[2]
    means = list(
        Answer.objects.filter(question__key="overall")
        .values("response__session")
        .annotate(m=Avg("value_int"), n=Count("id"))
        .values_list("m", flat=True)
    )
    assert min(means) < 3.2 and max(means) > 4.2  # sessions differ
    assert Answer.objects.exclude(value_text="").filter(review="approved").exists()
    assert Answer.objects.exclude(value_text="").filter(review="pending").exists()
    tutor = User.objects.get(email="tutor@demo.meded.test")
    assert tutor_dashboard(tutor).released_count >= 1
    assert Certificate.objects.filter(user=tutor).count() == 1
    # recording answers come only from members whose playback the server saw
    from sessions_app.models import RecordingPlayback

    recording = Response.objects.filter(mode="recording")
    assert recording.exists()
    watched = set(
        RecordingPlayback.objects.filter(watched=True).values_list(
            "resource__session_id", flat=True
        )
    )
    assert set(recording.values_list("session_id", flat=True)) <= watched
    student = User.objects.get(email="student@demo.meded.test")
    assert awaiting(student).exists()
