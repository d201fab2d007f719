"""seed_demo shows this feature populated: returning tutors on both sides of the fast track,
a portfolio with reflections, a mentoring scheme with matches, a cover request."""

from feedback.models import Reflection
from sessions_app.cover.models import CoverRequest
from tutors.mentoring.models import MentoringScheme
from tutors.models import Application, FastTrackRule
from tutors.recruitment.services.fasttrack import verdict_for


def test_the_demo_has_each_part(demo_society):
    rule = FastTrackRule.objects.get(enabled=True)
    apps = Application.objects.filter(round=rule.round, applicant__groups__name="Tutors")
    fast = apps.filter(fast_track=True)
    assert fast.exists()
    returning = [
        a
        for a in apps.filter(fast_track=False)
        if Application.objects.filter(applicant=a.applicant, status="accepted").exists()
    ]
    assert returning and not verdict_for(returning[0].applicant, rule.round)[0].qualifies
    assert Reflection.objects.filter(in_portfolio=True).exists()
    assert Reflection.objects.filter(in_portfolio=False).exists()
    scheme = MentoringScheme.objects.get(name="Mentoring 2026/27")
    assert scheme.pairs.filter(introduced_at__isnull=False).count() >= 5
    assert MentoringScheme.objects.filter(kind="buddy", state="open").exists()
    assert CoverRequest.objects.filter(state="offered").exists()
