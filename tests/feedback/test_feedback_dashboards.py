"""Dashboard figures against values worked out by hand; nothing shown below the threshold."""

from datetime import timedelta

import pytest
import time_machine

from feedback.models import Answer, ReviewStatus
from feedback.selectors.dashboards import committee_dashboard, tutor_dashboard, tutor_session
from feedback.selectors.filters import Filters
from feedback.selectors.reports import export_csv, survey_csv, survey_report
from feedback.services.responses import review_text
from sessions_app.models import Resource, ResourceAccess
from tests.factories.core import TutorFactory, UserFactory
from tests.factories.feedback import after_close, give_feedback, past_session, watch

pytestmark = pytest.mark.django_db


def _by_key(stats):
    return {s.key: s for s in stats}


def _rated(scores, tutor=None, days_ago=40, **kw):
    tutors = [tutor] if tutor else None
    session, students = past_session(attendees=len(scores) + 1, tutors=tutors, days_ago=days_ago)
    with time_machine.travel(session.ends_at + timedelta(hours=1), tick=False):
        for student, score in zip(students, scores, strict=False):
            give_feedback(student, session, overall=score, **kw)
    return session, students


def test_session_means_distributions_and_rate_match_hand_computed_values():
    tutor = TutorFactory()
    session, students = _rated([5, 4, 2], tutor=tutor)  # 4 attendees, 3 answer
    viewer = UserFactory()
    recording = Resource.objects.create(kind="recording", title="Rec", session=session)
    ResourceAccess.objects.create(resource=recording, user=viewer, kind="view")
    watch(viewer, recording)
    ResourceAccess.objects.create(resource=recording, user=students[0], kind="view")  # attendee
    watch(students[0], recording)

    result, stats = tutor_session(tutor, session)
    assert (result.responses, result.audience) == (3, 5)  # attendee who also watched counts once
    assert result.rate == 60.0
    assert result.overall == pytest.approx(3.67)
    overall = _by_key(stats)["overall"]
    assert overall.n == 3 and overall.mean == pytest.approx(3.67)
    assert [b.count for b in overall.buckets] == [0, 1, 0, 1, 1]
    assert [b.percent for b in overall.buckets] == [0.0, 33.3, 0.0, 33.3, 33.3]
    assert _by_key(stats)["recommend"].mean == 8.0
    pace = _by_key(stats)["pace"]
    assert [(b.value, b.count) for b in pace.buckets] == [
        ("Too slow", 0),
        ("About right", 3),
        ("Too fast", 0),
    ]


def test_results_are_hidden_from_the_tutor_below_the_threshold(settings):
    settings.MEDED_FEEDBACK_MIN_RESPONSES = 3
    tutor = TutorFactory()
    session, _ = _rated([5, 1], tutor=tutor)
    result, stats = tutor_session(tutor, session)
    assert not result.released and result.closed
    assert result.responses == 0 and result.count_label == "fewer than 3"  # never n=2
    assert stats == [] and result.overall is None
    dash = tutor_dashboard(tutor)
    assert dash.overall == [] and dash.trend == []


def test_tutor_overview_pools_only_released_sessions_and_shows_a_trend():
    tutor = TutorFactory()
    first, _ = _rated([5, 5, 4], tutor=tutor, days_ago=50)
    second, _ = _rated([4, 4, 4, 3], tutor=tutor, days_ago=40)
    _rated([1, 1], tutor=tutor, days_ago=30)  # only two answers: left out everywhere
    dash = tutor_dashboard(tutor)
    overall = _by_key(dash.overall)["overall"]
    assert overall.n == 7
    assert overall.mean == pytest.approx(round((5 + 5 + 4 + 4 + 4 + 4 + 3) / 7, 2))
    assert [(r.session, r.overall) for r in dash.trend] == [(first, 4.67), (second, 3.75)]
    assert dash.released_count == 2 and dash.responses == 7


def test_a_tutor_sees_only_per_tutor_answers_about_themselves():
    a, b = TutorFactory(), TutorFactory()
    session, students = past_session(attendees=3, tutors=[a, b])
    for student in students:
        from tests.factories.feedback import answers_for

        items = answers_for(session)
        items = [
            type(i)(
                i.question,
                5 if i.tutor_id == a.pk else 2 if i.tutor_id == b.pk else i.value,
                i.tutor_id,
            )
            for i in items
        ]
        from feedback.services.responses import submit_feedback

        submit_feedback(student, session, "live", items)
    with after_close():
        assert _by_key(tutor_session(a, session)[1])["explained"].mean == 5.0
        assert _by_key(tutor_session(b, session)[1])["explained"].mean == 2.0


def test_free_text_reaches_the_tutor_only_after_approval():
    tutor = TutorFactory()
    session, _ = _rated([5, 4, 4], tutor=tutor, text="Great diagrams of the heart")
    went_well = _by_key(tutor_session(tutor, session)[1])["went_well"]
    assert went_well.n == 3 and went_well.texts == []
    committee = UserFactory(is_superuser=True)
    pending = list(Answer.objects.filter(question__key="went_well"))
    review_text(committee, pending[0].pk, ReviewStatus.APPROVED)
    review_text(committee, pending[1].pk, ReviewStatus.HIDDEN)
    went_well = _by_key(tutor_session(tutor, session)[1])["went_well"]
    assert went_well.texts == ["Great diagrams of the heart"]


def test_committee_flags_low_scores_few_responses_and_falling_tutors(settings):
    settings.MEDED_FEEDBACK_WINDOW_DAYS = 14
    tutor = TutorFactory()
    _rated([5, 5, 4], tutor=tutor, days_ago=60)  # 4.67
    _rated([4, 4, 4], tutor=tutor, days_ago=50)  # 4.0
    low, _ = _rated([3, 3, 2], tutor=tutor, days_ago=40)  # 2.67
    quiet, _ = _rated([5], days_ago=40)  # window closed, one answer
    dash = committee_dashboard(Filters())
    flags = {r.session: r.flags for r in dash.sessions}
    assert flags[low] == ["Low overall score"]
    assert flags[quiet] == ["Few responses"]
    assert dash.falling_tutors == [tutor]
    assert dash.responses == 9  # the quiet session's one answer is never pooled
    summary = {t.tutor: t for t in dash.tutors}
    mine = summary[tutor]
    # 9 answers of 12 attendees; (14 + 12 + 8) / 9 = 3.78
    assert (len(mine.results), mine.responses, mine.rate, mine.overall) == (3, 9, 75.0, 3.78)
    assert mine.falling
    other = summary[quiet.tutors.get()]
    assert (other.responses, other.rate, other.overall, other.falling) == (0, None, None, False)


def test_committee_year_group_filter_and_threshold():
    """Three Year 1s and one Year 4: showing Years 1-2 would show Years 3-6 by subtraction from
    the whole, so the session leaves the year-group views entirely."""
    session, students = past_session(attendees=4)
    for i, student in enumerate(students):
        student.year_of_study = "1" if i < 3 else "4"
        student.save()
        give_feedback(student, session, overall=5 if i < 3 else 1)
    with after_close():
        for group in ("early", "later", "1", "4"):
            dash = committee_dashboard(Filters(year_group=group))
            assert dash.hidden and dash.stats == [] and dash.responses == 0
            assert dash.excluded == 1
        likert = _by_key(committee_dashboard(Filters()).likert)["overall"].diverging()
    assert likert["disagree"] == 25.0 and likert["agree"] == 75.0


def test_survey_report_counts_and_percentages_by_year_group():
    session, students = past_session(attendees=6)
    years = ["1", "1", "2", "3", "3", "5"]
    scores = [5, 4, 4, 2, 3, 5]
    for student, yr, score in zip(students, years, scores, strict=True):
        student.year_of_study = yr
        student.save()
        give_feedback(student, session, overall=score)
    with after_close():
        report = survey_report(Filters())
    columns = {c.key: c for c in report.columns}
    assert columns["all"].respondents == 6
    assert columns["early"].respondents == 3 and columns["later"].respondents == 3
    assert columns["1"].withheld  # 2 Year 1s: the session leaves the single-year columns
    assert columns["3"].respondents == 0 and columns["3"].sessions == 0
    text, _qtype, rows, means = report.sections[0]
    assert text == "Overall quality of the session"
    keys = [c.key for c in report.columns]
    excellent = rows[4].cells
    assert excellent[keys.index("all")] == (2, 33.3)
    assert excellent[keys.index("early")] == (1, 33.3)
    assert excellent[keys.index("later")] == (1, 33.3)
    assert excellent[keys.index("1")] == (0, 0.0)  # withheld
    assert means[keys.index("all")] == pytest.approx(3.83)
    csv_text = survey_csv(report)
    assert "Overall quality of the session,5 Excellent,2,33.3" in csv_text


def test_export_has_no_personal_data():
    tutor = TutorFactory(full_name="Tutor Tamsin")
    _session, students = _rated([5, 4, 3], tutor=tutor, text="Loved it")
    content = export_csv(Filters())
    for student in students:
        assert student.email not in content and student.full_name not in content
    assert tutor.full_name not in content and tutor.email not in content
    header = content.splitlines()[0]
    for attribute in ("year_group", "mode", "submitted", "email", "user"):
        assert attribute not in header
    assert "Loved it" not in content  # free text has its own, reviewed, shuffled export
    assert content.count("\n") == 1 + Answer.objects.filter(value_text="").count()


def test_diverging_bars_and_multiple_choice_shares_match_hand_computed_values():
    """Overall 1,1,1,2,3,5: 50% / 16.7% / 16.7% / 0% / 16.7%; the negative half holds
    50 + 16.7 + 8.35 = 75.05% of its width, so it never overflows. Formats: five people ticked
    something (one left it blank); shares are of those five, so they add up to more than 100%."""
    session, students = past_session(attendees=6)
    formats = [
        ["Lectures", "Mock exams"],
        ["Lectures"],
        ["Mock exams"],
        ["Lectures"],
        ["OSCE practice", "Lectures"],
        [],
    ]
    for student, score, picked in zip(students, [1, 1, 1, 2, 3, 5], formats, strict=True):
        give_feedback(student, session, overall=score, formats=picked)
    with after_close():
        stats = _by_key(committee_dashboard(Filters()).stats)
    bar = stats["overall"].diverging()
    assert [w for _c, w, _b in bar["left"]] == [50.0, 16.7, 8.35]
    assert [w for _c, w, _b in bar["right"]] == [8.35, 0.0, 16.7]
    assert (bar["disagree"], bar["agree"]) == (66.7, 16.7)
    assert sum(w for _c, w, _b in bar["left"]) <= 100
    chosen = stats["formats"]
    assert chosen.n == 5
    assert {b.value: (b.count, b.percent) for b in chosen.buckets} == {
        "Lectures": (4, 80.0),
        "Small-group tutorials": (0, 0.0),
        "OSCE practice": (1, 20.0),
        "Mock exams": (2, 40.0),
    }
