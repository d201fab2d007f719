"""The home page's mock exams (`exams_for_home`, one read compiled once per process) say what
the member's exams page says of the same papers: open now, opening, results released."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from sessions_app.questions import exams
from sessions_app.questions.selectors import (
    HOME_EXAMS,
    exam_rows,
    exams_for_home,
    my_exam_papers,
)
from tests.factories.core import CommitteeFactory, UserFactory
from tests.factories.questions import mock_exam_session, paper_with, published

pytestmark = pytest.mark.django_db


def line(row: dict) -> tuple:
    attempt = row["attempt"]
    return (
        row["paper"].pk,
        row["paper"].title,
        row["paper"].released,
        row["starts_at"],
        row["open"],
        row["upcoming"],
        None if attempt is None else (attempt.pk, attempt.submitted_at),
    )


def orm_rows(student, now):
    papers = my_exam_papers(student).filter(session__ends_at__gt=now) | my_exam_papers(
        student
    ).filter(results_released_at__isnull=False)
    return exam_rows(papers.order_by("session__starts_at", "pk")[:HOME_EXAMS], now)


def test_the_home_lines_match_the_exams_page_for_every_kind_of_paper():
    student, committee = UserFactory(), CommitteeFactory()
    now = timezone.now()
    past = paper_with([published()], mock_exam_session(now - timedelta(days=3)), students=[student])
    sat = paper_with([published()], mock_exam_session(now - timedelta(days=2)), students=[student])
    opens = now - timedelta(minutes=10)
    open_now = paper_with([published()], mock_exam_session(opens), students=[student])
    coming = paper_with(
        [published()], mock_exam_session(now + timedelta(days=1)), students=[student]
    )
    paper_with([published()], mock_exam_session(now + timedelta(hours=5)))  # not booked
    with time_machine.travel(sat.session.starts_at + timedelta(minutes=1), tick=False):
        exams.start_attempt(student, sat)
    with time_machine.travel(sat.session.ends_at + timedelta(hours=1), tick=False):
        exams.release_results(committee, sat)
    with time_machine.travel(opens + timedelta(minutes=1), tick=False):
        exams.start_attempt(student, open_now)
    found = [line(r) for r in exams_for_home(student)]
    assert found == [line(r) for r in orm_rows(student, timezone.now())]
    assert [f[0] for f in found] == [sat.pk, open_now.pk, coming.pk]
    assert past.pk not in [f[0] for f in found]
    assert found[0][2] and found[0][6] is not None  # released, with the attempt
    assert found[1][4] and found[1][6] is not None  # open now, being sat
    assert found[2][5] and found[2][6] is None  # opens later, not started
    client = Client()
    client.force_login(student)
    page = client.get("/").content.decode()
    assert "results released" in page and "open now" in page and "opens " in page
