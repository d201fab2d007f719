"""Releasing mock-exam results and OSCE sheets emails everyone who sat: previewed (nothing
written, nothing released), confirmed (released, emails held), undone in the window (hidden
again, nobody emailed), and each student who sat gets exactly one email when the window ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from meded.notifications import mailings
from meded.notifications.models import Mailing, SentEmail
from meded.periodic import run_periodic_tasks
from sessions_app.questions import exams, osce
from sessions_app.questions.errors import QuestionError
from sessions_app.questions.mailings import RESULTS, SHEETS
from sessions_app.questions.models import ExamPaper, OsceStation
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.questions import mock_exam_session, paper_with, published
from tests.factories.sessions import BookingFactory, TeachingSessionFactory
from tests.support.mailings import confirm_action

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _deliver_in_process():
    """Released emails are delivered in this process (mail.outbox), also when REDIS_URL is set."""
    from meded.celery import app as celery_app

    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def sat():
    """Two students sat the paper, a third booked and never started; the sitting is over."""
    chair = CommitteeFactory()
    sat_it, also, absent = UserFactory(), UserFactory(), UserFactory()
    with time_machine.travel(T0 - timedelta(days=3), tick=False):
        paper = paper_with(
            [published(answer="A"), published(answer="B")],
            session=mock_exam_session(T0 - timedelta(hours=3)),
            committee=chair,
            students=[sat_it, also, absent],
        )
    items = list(paper.items.order_by("position"))
    start = T0 - timedelta(hours=3)
    for student in (sat_it, also):
        exams.start_attempt(student, paper, now=start)
        exams.save_answer(student, paper, items[0].pk, "A", now=start + timedelta(minutes=1))
    exams.submit(sat_it, paper, now=start + timedelta(minutes=5))  # `also` never submits
    return paper, chair, (sat_it, also), absent


def released(paper) -> bool:
    return ExamPaper.objects.get(pk=paper.pk).released


@time_machine.travel(T0, tick=False)
def test_the_preview_names_who_sat_and_releases_and_sends_nothing(sat):
    paper, _chair, students, absent = sat
    shown = mailings.preview(RESULTS, paper.pk)
    assert {letter.user for letter in shown.letters} == set(students)
    assert absent not in {letter.user for letter in shown.letters}
    (_, sample), *_ = shown.samples
    assert paper.title in sample["subject"]
    assert reverse("sessions_app:exam_results", args=[paper.pk]) in sample["body_text"]
    assert not released(paper)
    assert SentEmail.objects.count() == 0 and Mailing.objects.count() == 0
    assert mail.outbox == []


def test_nothing_is_sent_before_confirm_nor_before_the_window_ends(
    sat, settings, django_capture_on_commit_callbacks
):
    paper, chair, students, absent = sat
    settings.MEDED_UNDO_MINUTES = 10
    with time_machine.travel(T0, tick=False):
        mailings.preview(RESULTS, paper.pk)
        with django_capture_on_commit_callbacks(execute=True):
            run_periodic_tasks()
        assert mail.outbox == [] and not released(paper)
        with django_capture_on_commit_callbacks(execute=True):
            mailing = confirm_action(chair, RESULTS, paper.pk)
        assert released(paper)  # the results are visible at once; the emails wait
        assert set(mailing.emails.values_list("status", flat=True)) == {SentEmail.Status.HELD}
        # the student who never submitted was submitted for her at the deadline
        assert paper.attempts.filter(submitted_at__isnull=True).count() == 0
    with time_machine.travel(T0 + timedelta(minutes=9, seconds=59), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            run_periodic_tasks()
        assert mail.outbox == []
    with (
        time_machine.travel(T0 + timedelta(minutes=10), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        run_periodic_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in students)
    assert absent.email not in {m.to[0] for m in mail.outbox}


def test_undo_hides_the_results_again_and_nobody_is_emailed(
    sat, django_capture_on_commit_callbacks
):
    paper, chair, students, _ = sat
    with time_machine.travel(T0, tick=False):
        mailing = confirm_action(chair, RESULTS, paper.pk)
        student = Client()
        student.force_login(students[0])
        url = reverse("sessions_app:exam_results", args=[paper.pk])
        assert student.get(url).status_code == 200
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        mailings.undo(chair, mailing.pk)
        assert not released(paper)
        assert student.get(url).status_code == 403
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            run_periodic_tasks()
        assert mail.outbox == []
        again = confirm_action(chair, RESULTS, paper.pk)  # releasing again writes again
    assert again.emails.filter(status=SentEmail.Status.HELD).count() == 2


def test_a_release_after_a_withdrawal_emails_again(sat):
    paper, chair, _, _ = sat
    with time_machine.travel(T0, tick=False):
        first = confirm_action(chair, RESULTS, paper.pk)
        mailings.release_due(now=first.release_at)
        exams.withdraw_results(chair, paper)
        second = confirm_action(chair, RESULTS, paper.pk)
    assert second.recipient_count == 2 and released(paper)


def test_results_cannot_be_released_twice_nor_before_the_sitting_ends(sat):
    paper, chair, _, _ = sat
    with (
        time_machine.travel(T0 - timedelta(hours=2), tick=False),
        pytest.raises(QuestionError, match="after the sitting has ended"),
    ):
        mailings.preview(RESULTS, paper.pk)
    with time_machine.travel(T0, tick=False):
        confirm_action(chair, RESULTS, paper.pk)
        with pytest.raises(QuestionError, match="already released"):
            mailings.preview(RESULTS, paper.pk)


def test_the_committee_releases_from_the_papers_page_through_the_preview(sat):
    paper, chair, _, _ = sat
    client = Client()
    client.force_login(chair)
    with time_machine.travel(T0, tick=False):
        page = client.get(reverse("sessions_app:exam_manage", args=[paper.pk])).content.decode()
        url = reverse("committee_mailing_new", args=[RESULTS, paper.pk])
        assert url in page
        preview = client.get(url)
        assert preview.status_code == 200 and not released(paper)
        data = {"expected": preview.context["preview"].fingerprint, "when": "now"}
        client.post(url, data)
    assert released(paper)
    assert Mailing.objects.get().recipient_count == 2


# -- OSCE sheets -------------------------------------------------------------------------------


@pytest.fixture
def marked_station():
    examiner, chair = TutorFactory(), CommitteeFactory()
    marked, unmarked = UserFactory(), UserFactory()
    session = TeachingSessionFactory(kind="clinical_skills", tutors=[examiner])
    for student in (marked, unmarked):
        BookingFactory(session=session, student=student)
    station = osce.create_station(
        chair,
        title="Knee examination",
        scenario="Examine the knee.",
        session=session,
        checklist=["Look", "Feel", "Move"],
    )
    osce.mark(examiner, station, marked, [station.items.first().pk], 4, "Good.")
    return station, chair, marked, unmarked


def test_osce_sheets_release_emails_each_marked_candidate_once_after_the_window(
    marked_station, django_capture_on_commit_callbacks
):
    station, chair, marked, _unmarked = marked_station
    shown = mailings.preview(SHEETS, station.pk)
    assert [letter.user for letter in shown.letters] == [marked]
    assert OsceStation.objects.get(pk=station.pk).released_at is None
    with time_machine.travel(T0, tick=False):
        mailing = confirm_action(chair, SHEETS, station.pk)
        assert OsceStation.objects.get(pk=station.pk).released_at is not None
        assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        mailings.release_due(now=mailing.release_at)
    assert [m.to[0] for m in mail.outbox] == [marked.email]
    assert "Knee examination" in mail.outbox[0].subject
    assert reverse("sessions_app:osce_sheets") in mail.outbox[0].body


def test_undoing_the_osce_release_hides_the_sheets_again(marked_station):
    station, chair, marked, _ = marked_station
    with time_machine.travel(T0, tick=False):
        mailing = confirm_action(chair, SHEETS, station.pk)
        client = Client()
        client.force_login(marked)
        assert (
            "Knee examination" in client.get(reverse("sessions_app:osce_sheets")).content.decode()
        )
        mailings.undo(chair, mailing.pk)
        assert OsceStation.objects.get(pk=station.pk).released_at is None
        assert (
            "Knee examination"
            not in client.get(reverse("sessions_app:osce_sheets")).content.decode()
        )
    assert set(mailing.emails.values_list("status", flat=True)) == {SentEmail.Status.CANCELLED}
