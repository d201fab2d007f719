"""The demo adds a reviewed bank of at least 60 questions across modules, a past mock exam with
attempts and released results, and an upcoming one: all through the services."""

from meded.roles import is_committee
from sessions_app.questions.models import ExamPaper, Question, QuestionReviewer
from sessions_app.questions.selectors import paper_statistics


def test_the_demo_bank_and_mock_exams(demo_society):
    published = Question.objects.filter(live_version__isnull=False)
    assert published.count() >= 60
    modules = set(published.values_list("live_version__topics__module", flat=True))
    assert len(modules) >= 10
    assert all(q.reviews.exists() for q in published)
    assert Question.objects.filter(status="in_review").exists()
    assert Question.objects.filter(status="returned").exists()
    assert Question.objects.filter(status="draft").exists()
    reviewer = QuestionReviewer.objects.get()
    assert not is_committee(reviewer.user) and is_committee(reviewer.granted_by)

    past = ExamPaper.objects.filter(results_released_at__isnull=False).get()
    stats = paper_statistics(past)
    assert stats["n"] >= 10 and stats["out_of"] == 30
    assert all(s.facility is not None for _, s in stats["rows"])
    assert past.attempts.filter(auto_submitted=True).exists()

    upcoming = ExamPaper.objects.filter(results_released_at__isnull=True).get()
    assert upcoming.items.count() >= 10 and not upcoming.attempts.exists()
    assert upcoming.session.bookings.filter(student__email="student@demo.meded.test").exists()

    from sessions_app.questions.models import OsceSheet, OsceStation

    assert OsceStation.objects.filter(released_at__isnull=False).exists()
    assert OsceStation.objects.filter(released_at__isnull=True).exists()
    assert OsceSheet.objects.exists()
