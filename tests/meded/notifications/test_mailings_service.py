"""Mass emails: previewed (nothing written, nothing sent), confirmed (held), undone in the
window (the action is taken back), refused after it, released on time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from meded.notifications import mailings
from meded.notifications.forms import ConfirmMailingForm
from meded.notifications.mailings import MailingError
from meded.notifications.models import Mailing, SentEmail
from meded.periodic import run_periodic_tasks
from meded.roles import is_tutor
from sessions_app.booking.models import Booking
from tests.factories.core import CommitteeFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory
from tests.factories.tutors import ApplicationFactory, applications_closed
from tests.support.mailings import confirm_action
from tutors.models import Application, ApplicationStatus, RoundState
from tutors.recruitment.services.decisions import record_decisions

pytestmark = pytest.mark.django_db
A = ApplicationStatus
RELEASE = "tutors.release_decisions"
T0 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _deliver_in_process():
    """Released emails are delivered in this process (mail.outbox), also when REDIS_URL is set."""
    from meded.celery import app as celery_app

    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def decided_round():
    """A round whose applications have closed, with three decisions recorded, not released."""
    round = applications_closed(state=RoundState.INTERVIEWING)
    yes, no, wait = (ApplicationFactory(round=round) for _ in range(3))
    record_decisions(
        None,
        [yes],
        "accept",
        message="Welcome aboard!",
        reason="Known to the committee from peer teaching.",
    )
    record_decisions(None, [no], "reject", feedback_note="More teaching experience.")
    record_decisions(None, [wait], "waiting_list")
    return round, yes, no, wait


def statuses(*apps):
    return [Application.objects.get(pk=a.pk).status for a in apps]


@time_machine.travel(T0, tick=False)
def test_preview_shows_who_and_what_and_writes_and_sends_nothing():
    round, yes, no, wait = decided_round()
    shown = mailings.preview(RELEASE, round.pk)
    assert shown.count == 3
    assert {letter.user for letter in shown.letters} == {
        yes.applicant,
        no.applicant,
        wait.applicant,
    }
    samples = dict(shown.samples)
    assert set(samples) == {"Accepted", "Not successful", "Waiting list"}
    assert "Congratulations" in samples["Accepted"]["body_text"]
    assert "More teaching experience." in samples["Not successful"]["body_text"]
    assert SentEmail.objects.count() == 0 and Mailing.objects.count() == 0
    assert mail.outbox == []
    assert statuses(yes, no, wait) == [A.SUBMITTED] * 3


def test_nothing_is_sent_before_the_undo_window_ends(settings, django_capture_on_commit_callbacks):
    settings.MEDED_UNDO_MINUTES = 10
    with time_machine.travel(T0, tick=False):
        round, yes, no, wait = decided_round()
        with django_capture_on_commit_callbacks(execute=True):
            mailing = confirm_action(CommitteeFactory(), RELEASE, round.pk)
        assert mailing.release_at == T0 + timedelta(minutes=10)
        assert statuses(yes, no, wait) == [A.ACCEPTED, A.REJECTED, A.WAITING_LIST]
        assert set(mailing.emails.values_list("status", flat=True)) == {SentEmail.Status.HELD}
    with time_machine.travel(T0 + timedelta(minutes=9, seconds=59), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            run_periodic_tasks()
        assert mail.outbox == []
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            run_periodic_tasks()
        with django_capture_on_commit_callbacks(execute=True):
            assert mailings.release_due() == 0  # a second run finds nothing left
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        a.applicant.email for a in (yes, no, wait)
    )
    mailing.refresh_from_db()
    assert mailing.state == Mailing.State.RELEASED
    assert set(mailing.emails.values_list("status", flat=True)) == {SentEmail.Status.SENT}


def test_undo_inside_the_window_takes_the_release_back_and_nobody_is_emailed(
    django_capture_on_commit_callbacks,
):
    chair = CommitteeFactory()
    with time_machine.travel(T0, tick=False):
        round, yes, no, wait = decided_round()
        mailing = confirm_action(chair, RELEASE, round.pk)
        assert is_tutor(type(yes.applicant).objects.get(pk=yes.applicant_id))
    with time_machine.travel(T0 + timedelta(minutes=9), tick=False):
        mailings.undo(chair, mailing.pk)
    assert statuses(yes, no, wait) == [A.SUBMITTED] * 3
    assert not is_tutor(type(yes.applicant).objects.get(pk=yes.applicant_id))
    assert Application.objects.filter(decision_released_at__isnull=False).count() == 0
    mailing.refresh_from_db()
    assert mailing.state == Mailing.State.UNDONE and mailing.undone_by == chair
    assert set(mailing.emails.values_list("status", flat=True)) == {SentEmail.Status.CANCELLED}
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            run_periodic_tasks()
        assert mail.outbox == []
        # the decisions are still recorded: releasing again writes the emails again
        again = confirm_action(chair, RELEASE, round.pk)
    assert again.emails.filter(status=SentEmail.Status.HELD).count() == 3


def test_undo_is_refused_once_the_window_has_ended(django_capture_on_commit_callbacks):
    chair = CommitteeFactory()
    with time_machine.travel(T0, tick=False):
        round, yes, *_ = decided_round()
        mailing = confirm_action(chair, RELEASE, round.pk)
    with time_machine.travel(mailing.release_at, tick=False):
        with pytest.raises(MailingError, match="Too late to undo"):
            mailings.undo(chair, mailing.pk)  # even before the periodic job has run
        with django_capture_on_commit_callbacks(execute=True):
            mailings.release_due()
        with pytest.raises(MailingError, match="Too late to undo"):
            mailings.undo(chair, mailing.pk)
    assert statuses(yes) == [A.ACCEPTED]
    assert len(mail.outbox) == 3


@time_machine.travel(T0, tick=False)
def test_a_list_that_changed_since_the_preview_is_not_confirmed():
    round, *_ = decided_round()
    shown = mailings.preview(RELEASE, round.pk)
    late = ApplicationFactory(round=round)
    record_decisions(None, [late], "accept", reason="Known to the committee from peer teaching.")
    with pytest.raises(MailingError, match="changed since you looked"):
        mailings.confirm(None, RELEASE, round.pk, expected=shown.fingerprint)
    assert Mailing.objects.count() == 0 and SentEmail.objects.count() == 0
    assert statuses(late) == [A.SUBMITTED]


@time_machine.travel(T0, tick=False)
def test_a_chosen_time_must_leave_the_undo_window_and_be_within_sixty_days():
    round, *_ = decided_round()
    shown = mailings.preview(RELEASE, round.pk)
    for when in (T0 + timedelta(minutes=5), T0 + timedelta(days=61)):
        with pytest.raises(MailingError) as refused:
            mailings.confirm(None, RELEASE, round.pk, expected=shown.fingerprint, send_at=when)
        assert refused.value.field == "send_at"
    assert Mailing.objects.count() == 0


def form_time(value: str):
    form = ConfirmMailingForm({"expected": "x", "when": "later", "send_at": value})
    assert form.is_valid(), form.errors
    return form.cleaned_data["send_at"]


@pytest.mark.parametrize(
    ("now", "chosen", "utc"),
    [
        # Saturday in BST, sending on Sunday evening after the clocks went back: 18:00 GMT
        (datetime(2026, 10, 24, 12, 0, tzinfo=UTC), "2026-10-25T18:00", (2026, 10, 25, 18)),
        # Saturday in GMT, sending on Sunday evening after the clocks went forward: 18:00 BST
        (datetime(2026, 3, 28, 12, 0, tzinfo=UTC), "2026-03-29T18:00", (2026, 3, 29, 17)),
    ],
    ids=["bst-to-gmt", "gmt-to-bst"],
)
def test_a_scheduled_send_goes_at_the_wall_clock_time_across_a_clock_change(
    now, chosen, utc, django_capture_on_commit_callbacks
):
    due = datetime(*utc, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        round, *_ = decided_round()
        send_at = form_time(chosen)
        assert send_at == due
        mailing = confirm_action(None, RELEASE, round.pk, send_at=send_at)
        assert mailing.scheduled and mailing.release_at == due
    with time_machine.travel(due - timedelta(minutes=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            run_periodic_tasks()
        assert mail.outbox == []
    with time_machine.travel(due, tick=False), django_capture_on_commit_callbacks(execute=True):
        run_periodic_tasks()
    assert len(mail.outbox) == 3


def test_a_time_that_does_not_exist_when_the_clocks_go_forward_is_refused():
    form = ConfirmMailingForm({"expected": "x", "when": "later", "send_at": "2026-03-29T01:30"})
    assert not form.is_valid()
    assert "clocks" in form.errors["send_at"][0]
    form = ConfirmMailingForm({"expected": "x", "when": "later", "send_at": ""})
    assert not form.is_valid() and "Choose when" in form.errors["send_at"][0]


@time_machine.travel(T0, tick=False)
def test_undoing_a_cancellation_gives_everyone_their_place_back():
    session = TeachingSessionFactory(capacity=1, starts_at=T0 + timedelta(days=3))
    booked = BookingFactory(session=session)
    waiting = BookingFactory(session=session, status="waiting")
    mailing = confirm_action(None, "sessions.cancel_session", session.pk)
    session.refresh_from_db()
    assert session.status == "cancelled"
    assert set(Booking.objects.values_list("status", flat=True)) == {"cancelled"}
    mailings.undo(None, mailing.pk)
    session.refresh_from_db()
    assert session.status == "published"
    booked.refresh_from_db()
    waiting.refresh_from_db()
    assert (booked.status, waiting.status) == ("confirmed", "waiting")
    assert booked.cancel_reason == "" and booked.cancelled_at is None


@time_machine.travel(T0, tick=False)
def test_undo_twice_is_refused_and_changes_nothing_more():
    round, yes, *_ = decided_round()
    mailing = confirm_action(None, RELEASE, round.pk)
    mailings.undo(None, mailing.pk)
    with pytest.raises(MailingError, match="already undone"):
        mailings.undo(None, mailing.pk)
    assert statuses(yes) == [A.SUBMITTED]


@time_machine.travel(T0, tick=False)
def test_reminding_by_hand_goes_only_to_tutors_who_have_not_ranked_and_once_a_day():
    from tests.factories.allocation import OfferingFactory, accepted_tutor, rank, ranking_round

    round = ranking_round()
    lazy, keen = accepted_tutor(round), accepted_tutor(round)
    rank(round, keen, [OfferingFactory(round=round)])
    shown = mailings.preview("tutors.ranking_reminder", round.pk)
    assert [letter.user for letter in shown.letters] == [lazy]
    assert "You have not ranked" in shown.samples[0][1]["body_text"]
    mailing = confirm_action(None, "tutors.ranking_reminder", round.pk)
    assert list(mailing.emails.values_list("recipient", flat=True)) == [lazy.pk]
    with pytest.raises(MailingError, match="Nobody would receive"):
        mailings.preview("tutors.ranking_reminder", round.pk)  # already reminded today
    mailings.undo(None, mailing.pk)
    assert mailings.preview("tutors.ranking_reminder", round.pk).count == 1


@time_machine.travel(T0, tick=False)
def test_delivery_never_sends_a_held_email_even_when_asked_directly():
    from meded.notifications import delivery

    round, *_ = decided_round()
    mailing = confirm_action(None, RELEASE, round.pk)
    held = mailing.emails.first()
    assert delivery.deliver(held.pk) is delivery.Outcome.SKIPPED
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        assert held.pk not in delivery.requeue_lost()  # the lost-mail sweep leaves it alone
    held.refresh_from_db()
    assert held.status == SentEmail.Status.HELD and mail.outbox == []
