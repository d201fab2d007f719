"""The attacks of issue 12, played as the committee or a tutor would: through the real pages and
exports (Django test client), with only what they already know (who came, who watched, years).

Each attack asserts that nothing shown identifies an individual's answers; every one of them
passed against the build before feedback.disclosure (the leak was there).
"""

from __future__ import annotations

import csv
import io
import itertools
from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from feedback import disclosure
from feedback.models.responses import Mode
from feedback.selectors import eligibility
from sessions_app.models import Resource, ResourceAccess
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.feedback import (
    after_close,
    approve_all_text,
    give_feedback,
    past_session,
    watch,
)
from tests.support import html as parsed

pytestmark = pytest.mark.django_db

K = 3
GROUP_YEARS = {
    "All respondents": set("123456") | {"other"},
    "Years 1-2": {"1", "2"},
    "Years 3-6": {"3", "4", "5", "6"},
    **{f"Year {n}": {str(n)} for n in range(1, 7)},
    "Intercalated or graduated": {"other"},
}


@pytest.fixture(autouse=True)
def _k(settings):
    settings.MEDED_FEEDBACK_MIN_RESPONSES = K
    settings.MEDED_FEEDBACK_WINDOW_DAYS = 14
    settings.MEDED_FEEDBACK_TEXT_REVIEW = True


def _cohort(years: list[str], scores: list[int] | None = None, *, tutor=None, days_ago=40, **kw):
    """A session whose attendees have these years of study, each answering in the window."""
    session, students = past_session(
        attendees=len(years), tutors=[tutor or TutorFactory()], days_ago=days_ago
    )
    scores = scores or [4] * len(years)
    with time_machine.travel(session.ends_at + timedelta(hours=1), tick=False):
        for student, year, score in zip(students, years, scores, strict=True):
            # the survey's "other" group is an intercalating or graduated member ("ibsc"/"grad")
            student.year_of_study = "ibsc" if year == "other" else year
            student.save(update_fields=["year_of_study"])
            give_feedback(student, session, overall=score, **kw)
    return session, students


def _get(client, user, name, **query):
    client.force_login(user)
    return client.get(reverse(f"feedback:{name}"), query)


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def _report_respondents(client, committee, **query) -> dict[str, int]:
    rows = list(
        csv.reader(
            io.StringIO(_get(client, committee, "report", format="csv", **query).content.decode())
        )
    )
    header, respondents = rows[0], rows[1]
    assert respondents[0] == "respondents"
    return {header[i][: -len(" n")]: int(respondents[i]) for i in range(2, len(header), 2)}


# Leak 1 -------------------------------------------------------------------------------------


def test_a_session_with_one_response_exports_nothing_of_it(client):
    committee = CommitteeFactory()
    lonely, _ = _cohort(["3"], [1], text='=HYPERLINK("http://x","me")')
    crowded, _ = _cohort(["3", "3", "3"], [5, 5, 5])
    approve_all_text()
    answers = _csv(_get(client, committee, "export"))
    assert answers and {r["session_id"] for r in answers} == {str(crowded.pk)}
    comments = _csv(_get(client, committee, "comments"))
    assert all(r["session_id"] == str(crowded.pk) for r in comments)
    # filtering on the lonely session itself shows nothing either
    assert _csv(_get(client, committee, "export", session=lonely.pk)) == []
    html = _get(client, committee, "committee", session=lonely.pk).content.decode()
    assert "No released results" in html


# Leak 3 -------------------------------------------------------------------------------------


def test_a_lone_year_or_mode_is_not_given_away_by_elimination(client):
    """Three Year 3s came; one Year 1 watched the recording. The register says who is who."""
    committee = CommitteeFactory()
    session, _ = _cohort(["3", "3", "3"], [5, 5, 5])
    viewer = UserFactory(year_of_study="1")
    recording = Resource.objects.create(
        kind="recording", title="Rec", session=session, status="published"
    )
    Resource.objects.filter(pk=recording.pk).update(published_at=session.ends_at)
    ResourceAccess.objects.create(resource=recording, user=viewer, kind="view")
    watch(viewer, recording)
    with time_machine.travel(session.ends_at + timedelta(days=2), tick=False):
        give_feedback(viewer, session, mode=Mode.RECORDING, overall=1)
    rows = _csv(_get(client, committee, "export"))
    assert rows
    for row in rows:
        assert not {"year_group", "mode", "submitted_on"} & set(row)
        assert "withheld" not in row.values()
    by_response: dict[str, list[str]] = {}
    for row in rows:
        by_response.setdefault(row["response"], []).append(row["value"])
    assert len(by_response) == 4  # four anonymous responses, none marked apart from the rest
    shown = _report_respondents(client, committee)
    # Year 1 = 1 and Years 3-6 = 3 would name the viewer; the session leaves the year columns
    assert shown["All respondents"] == 4
    assert all(v == 0 for label, v in shown.items() if label != "All respondents")
    report = _get(client, committee, "report").content.decode()
    assert "n=1" not in report and "withheld" not in report


# Leak 4 -------------------------------------------------------------------------------------


def _assert_no_difference_reveals(shown: dict[str, int]) -> None:
    """Every shown column, and every difference of a column and a column inside it, is 0 or
    at least k respondents."""
    for label, n in shown.items():
        assert n == 0 or n >= K, (label, n, shown)
    for (a, na), (b, nb) in itertools.permutations(shown.items(), 2):
        if GROUP_YEARS[b] < GROUP_YEARS[a]:
            diff = na - nb
            assert diff == 0 or diff >= K, (a, b, diff, shown)


def test_years_3_6_minus_year_3_does_not_give_the_year_4(client):
    committee = CommitteeFactory()
    _cohort(["3", "3", "3", "4"], [5, 5, 5, 1])
    shown = _report_respondents(client, committee)
    _assert_no_difference_reveals(shown)
    # Years 3-6 may show all four (nothing to subtract it from); single years may not
    assert shown["Years 3-6"] == 4 and shown["Year 3"] == 0 and shown["Year 4"] == 0
    # the dashboard's filters subtract the same way
    for year in ("3", "4"):
        html = _get(client, committee, "committee", year_group=year).content.decode()
        assert "No released results" in html and "1 response" not in parsed.text(html)
    assert _dashboard_responses(client, committee, "later") == 4


YEARS = st.sampled_from(["1", "2", "3", "4", "5", "6", "other"])


@hsettings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cohorts=st.lists(st.lists(YEARS, min_size=1, max_size=7), min_size=1, max_size=2))
def test_generated_cohorts_never_show_a_cell_or_a_difference_below_k(client, cohorts):
    """Whatever the cohorts, the survey report and the dashboard's year filters show no column,
    and no difference of nested columns, of 1 or 2 respondents."""
    with transaction.atomic():
        committee = CommitteeFactory()
        for years in cohorts:
            _cohort(years)
        shown = _report_respondents(client, committee)
        _assert_no_difference_reveals(shown)
        dash = {
            label: _dashboard_responses(client, committee, key)
            for key, label in [
                ("", "All respondents"),
                ("early", "Years 1-2"),
                ("later", "Years 3-6"),
                *[(str(n), f"Year {n}") for n in range(1, 7)],
                ("other", "Intercalated or graduated"),
            ]
        }
        _assert_no_difference_reveals(dash)
        transaction.set_rollback(True)


def _dashboard_responses(client, committee, year_group: str) -> int:
    html = _get(client, committee, "committee", year_group=year_group).content.decode()
    heading = next(e.text for e in parsed.elements(html, "h2") if e.text.startswith("Results"))
    return int(heading.split("(")[1].split()[0])


@given(
    blocks=st.dictionaries(
        st.integers(1, 6),
        st.dictionaries(YEARS, st.integers(0, 6), min_size=1, max_size=7),
        min_size=1,
        max_size=6,
    )
)
@hsettings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_breakdown_cells_and_their_differences_are_never_below_k(blocks, settings):
    """The pure rule over many cohorts: pooling safe sessions keeps every cell, and every
    difference of a group and a group inside it, at 0 or at least k."""
    settings.MEDED_FEEDBACK_MIN_RESPONSES = K
    for level, groups in (("year", ["1", "2", "3", "4", "5", "6", "other"]), ("band", None)):
        safe = disclosure.safe_sessions(blocks, level)
        groups = groups or ["early", "later", "other"]
        mapping = disclosure.LEVELS[level]
        cells = {g: 0 for g in groups}
        for sid in safe:
            for year, n in blocks[sid].items():
                cells[mapping[year]] += n
        total = sum(cells.values())
        for n in cells.values():
            assert n == 0 or n >= K
            assert total - n == 0 or total - n >= K


# Leak 4 (n of a hidden cell) and leak 5 ----------------------------------------------------


def test_a_tutor_cannot_read_the_fourth_answer_from_the_3_to_4_step(client):
    tutor = TutorFactory()
    session, students = past_session(attendees=4, tutors=[tutor], days_ago=1)
    for student in students[:3]:
        give_feedback(student, session, overall=5)
    url = reverse("feedback:teaching_session", args=[session.pk])
    client.force_login(tutor)
    pages_before = [
        parsed.text(client.get(url).content),
        parsed.text(client.get(reverse("feedback:teaching")).content),
    ]
    give_feedback(students[3], session, overall=1)
    pages_after = [
        parsed.text(client.get(url).content),
        parsed.text(client.get(reverse("feedback:teaching")).content),
    ]
    assert pages_before == pages_after
    assert "Feedback is open until" in pages_after[0]
    assert "mean 5.0" not in pages_after[0] and "· 3 responses" not in pages_after[0]
    committee = CommitteeFactory()
    client.force_login(committee)
    before = parsed.text(client.get(reverse("feedback:committee")).content)
    assert "Results (0 responses)" in before
    with after_close():
        client.force_login(tutor)
        released = parsed.text(client.get(url).content)
        assert "4 responses" in released and "mean 4.0" in released
        # and nothing more can arrive to be read as a difference
        assert not eligibility.check(students[0], session).allowed


def test_a_closed_session_below_k_prints_no_count(client):
    tutor = TutorFactory()
    committee = CommitteeFactory()
    _cohort(["3", "3"], [1, 1], tutor=tutor)
    for user, name in ((tutor, "teaching"), (committee, "committee")):
        text = parsed.text(_get(client, user, name).content)
        assert "fewer than 3" in text
    rows = _csv(_get(client, committee, "export"))
    assert rows == []


def test_the_reviewer_cannot_read_a_comment_as_it_arrives(client):
    """While a session's window is open, its comments are not in the review queue: the first
    comment of a session is otherwise plainly its first respondent's."""
    committee = CommitteeFactory()
    session, students = past_session(attendees=3, days_ago=1)
    give_feedback(students[0], session, text="Only I came early")
    page = _get(client, committee, "review").content.decode()
    assert "Only I came early" not in page
    for student in students[1:]:
        give_feedback(student, session, text="Fine")
    with after_close():
        page = _get(client, committee, "review").content.decode()
    assert "Only I came early" in page
