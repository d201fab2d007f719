"""Who may give feedback, once, and anonymously."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import models
from django.utils import timezone

from feedback.models import Answer, HasAnswered, Response
from feedback.models.responses import Mode
from feedback.selectors import eligibility
from feedback.services import FeedbackError
from feedback.services.responses import AlreadyAnswered
from sessions_app.models import Booking, Resource, ResourceAccess, TeachingSession
from tests.factories.core import UserFactory
from tests.factories.feedback import attend, give_feedback, past_session, watch
from tests.factories.sessions import BookingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def home_agrees(monkeypatch):
    """Every answer of `awaiting` in these rules is also the home page's (`awaiting_first`, a
    read compiled once per process): the same sessions, in the same order, at the same moment."""
    original = eligibility.awaiting

    def both(user, now=None):
        now = now or timezone.now()
        found = original(user, now)
        first = eligibility.awaiting_first(user, now)
        assert [s.pk for s in first] == [s.pk for s in found[: eligibility.AWAITING_SHOWN]]
        assert [s.title for s in first] == [s.title for s in found[: eligibility.AWAITING_SHOWN]]
        return found

    monkeypatch.setattr(eligibility, "awaiting", both)


def test_an_attendee_may_answer_once_and_then_sees_it_as_given():
    session, (student,) = past_session(attendees=1)
    assert list(eligibility.awaiting(student)) == [session]
    give_feedback(student, session)
    assert list(eligibility.awaiting(student)) == []
    assert list(eligibility.answered(student)) == [session]
    with pytest.raises(FeedbackError, match="already"):
        give_feedback(student, session)
    assert Response.objects.count() == 1


def test_the_unique_record_stops_a_second_answer_that_skipped_the_check(monkeypatch):
    session, (student,) = past_session(attendees=1)
    give_feedback(student, session)
    monkeypatch.setattr(
        "feedback.services.responses.check",
        lambda u, s: eligibility.Eligibility(modes=[Mode.LIVE]),
    )
    with pytest.raises(AlreadyAnswered):
        give_feedback(student, session)
    assert Response.objects.count() == 1
    assert Answer.objects.filter(response__session=session).count() == Answer.objects.count()


def test_absent_waiting_cancelled_and_unbooked_members_may_not_answer():
    session, _ = past_session()
    absent = attend(session, attended=False).student
    waiting = BookingFactory(session=session, status=Booking.Status.WAITING).student
    stranger = UserFactory()
    for user in (absent, waiting, stranger):
        assert not eligibility.check(user, session).allowed
        with pytest.raises(FeedbackError):
            give_feedback(user, session)
    assert Response.objects.count() == 0


def test_a_booking_counts_only_once_attendance_is_marked():
    """Confirmed booking AND attended: the tutor's register or the student's own check-in."""
    session, _ = past_session()
    booking = attend(session, attended=None)
    assert not eligibility.check(booking.student, session).allowed
    assert list(eligibility.awaiting(booking.student)) == []
    booking.attended = True
    booking.save()
    assert eligibility.check(booking.student, session).modes == [Mode.LIVE]
    assert list(eligibility.awaiting(booking.student)) == [session]


def test_tutors_cannot_rate_their_own_session():
    session, _ = past_session()
    tutor = session.tutors.first()
    attend(session, student=tutor)
    assert "taught" in eligibility.check(tutor, session).reason


def test_feedback_opens_at_the_start_and_closes_after_the_window(settings):
    settings.MEDED_FEEDBACK_WINDOW_DAYS = 14
    session, (student,) = past_session(attendees=1)
    with time_machine.travel(session.starts_at - timedelta(minutes=1), tick=False):
        assert "opens" in eligibility.check(student, session).reason
    with time_machine.travel(session.starts_at, tick=False):
        assert eligibility.check(student, session).allowed
    closes = session.ends_at + timedelta(days=14)
    with time_machine.travel(closes, tick=False):
        assert eligibility.check(student, session).allowed
    with time_machine.travel(closes + timedelta(seconds=1), tick=False):
        assert not eligibility.check(student, session).allowed
        assert list(eligibility.awaiting(student)) == []


def test_window_across_the_clock_change_is_exact_in_utc(settings):
    """A session on the evening before the clocks go back (25 Oct 2026) closes 14 x 24 h later."""
    settings.MEDED_FEEDBACK_WINDOW_DAYS = 14
    start = datetime(2026, 10, 24, 18, 0, tzinfo=UTC)
    session, (_student,) = past_session(attendees=1)
    TeachingSession.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=1)
    )
    session.refresh_from_db()
    assert eligibility.live_closes_at(session) == start + timedelta(days=14, hours=1)


def test_cancelled_sessions_take_no_feedback():
    session, (student,) = past_session(attendees=1)
    session.status = TeachingSession.Status.CANCELLED
    session.save()
    assert "cancelled" in eligibility.check(student, session).reason


def _watch(user, session):
    recording = Resource.objects.create(
        kind=Resource.Kind.RECORDING, title="Recording", session=session, status="published"
    )
    ResourceAccess.objects.create(resource=recording, user=user, kind=ResourceAccess.Kind.VIEW)
    watch(user, recording)
    return recording


def test_a_recording_viewer_answers_as_a_viewer():
    session, _ = past_session()
    viewer = UserFactory()
    assert not eligibility.check(viewer, session).allowed
    _watch(viewer, session)
    assert eligibility.check(viewer, session).modes == [Mode.RECORDING]
    assert list(eligibility.awaiting(viewer)) == [session]
    with pytest.raises(FeedbackError, match="live or watched"):
        give_feedback(viewer, session, mode=Mode.LIVE)
    response = give_feedback(viewer, session, mode=Mode.RECORDING)
    assert response.mode == Mode.RECORDING


def test_recording_window_runs_from_the_recording_release(settings):
    settings.MEDED_FEEDBACK_WINDOW_DAYS = 14
    session, _ = past_session(days_ago=20)
    viewer = UserFactory()
    recording = _watch(viewer, session)
    Resource.objects.filter(pk=recording.pk).update(
        published_at=timezone.now() - timedelta(days=19),
        release_at=timezone.now() - timedelta(days=8),
    )
    assert eligibility.check(viewer, session).modes == [Mode.RECORDING]
    assert list(eligibility.awaiting(viewer)) == [session]


def test_a_recording_published_after_the_live_window_reopens_nothing(settings):
    """Results are released when the window closes; a recording published after that must not
    let one more answer arrive and be read as the difference between two released pages."""
    settings.MEDED_FEEDBACK_WINDOW_DAYS = 14
    ended = datetime(2026, 3, 1, 19, 0, tzinfo=UTC)
    session, _ = past_session(attendees=1)
    TeachingSession.objects.filter(pk=session.pk).update(
        starts_at=ended - timedelta(hours=1), ends_at=ended
    )
    session.refresh_from_db()
    viewer = UserFactory()
    recording = _watch(viewer, session)
    Resource.objects.filter(pk=recording.pk).update(published_at=ended + timedelta(days=19))
    assert eligibility.recording_closes_at(session) == ended + timedelta(days=14)
    with time_machine.travel(ended + timedelta(days=20), tick=False):
        assert not eligibility.check(viewer, session).allowed
        assert list(eligibility.awaiting(viewer)) == []


def test_a_late_recording_keeps_its_viewers_window_open_to_the_second(settings):
    """Recorded session ended on 1 March; the recording went out on 12 March (before the live
    window closed on 15 March), so viewers may answer until 26 March, and not after."""
    settings.MEDED_FEEDBACK_WINDOW_DAYS = 14
    ended = datetime(2026, 3, 1, 19, 0, tzinfo=UTC)
    released = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)
    session, (attendee,) = past_session(attendees=1)
    TeachingSession.objects.filter(pk=session.pk).update(
        starts_at=ended - timedelta(hours=1), ends_at=ended
    )
    session.refresh_from_db()
    viewer = UserFactory()
    recording = _watch(viewer, session)
    Resource.objects.filter(pk=recording.pk).update(published_at=released)
    closes = released + timedelta(days=14)
    assert eligibility.recording_closes_at(session) == closes
    with time_machine.travel(closes, tick=False):
        assert eligibility.check(viewer, session).modes == [Mode.RECORDING]
        assert list(eligibility.awaiting(viewer)) == [session]
        assert not eligibility.check(attendee, session).allowed  # the live window closed
        assert list(eligibility.awaiting(attendee)) == []
    with time_machine.travel(closes + timedelta(seconds=1), tick=False):
        assert not eligibility.check(viewer, session).allowed
        assert list(eligibility.awaiting(viewer)) == []


def test_a_recording_held_back_by_its_release_time_opens_its_window_at_release(settings):
    settings.MEDED_FEEDBACK_WINDOW_DAYS = 14
    session, _ = past_session(days_ago=20)
    viewer = UserFactory()
    recording = _watch(viewer, session)
    now = timezone.now()
    Resource.objects.filter(pk=recording.pk).update(
        published_at=now - timedelta(days=19), release_at=now - timedelta(days=10)
    )
    assert eligibility.recording_closes_at(session) == now - timedelta(days=10) + timedelta(days=14)
    assert list(eligibility.awaiting(viewer)) == [session]
    Resource.objects.filter(pk=recording.pk).update(release_at=now - timedelta(days=15))
    assert list(eligibility.awaiting(viewer)) == []
    assert not eligibility.check(viewer, session).allowed


def test_a_draft_recording_does_not_extend_the_window(settings):
    settings.MEDED_FEEDBACK_WINDOW_DAYS = 14
    session, _ = past_session(days_ago=20)
    viewer = UserFactory()
    recording = _watch(viewer, session)
    Resource.objects.filter(pk=recording.pk).update(status=Resource.Status.DRAFT)
    assert eligibility.recording_closes_at(session) == session.ends_at + timedelta(days=14)
    assert list(eligibility.awaiting(viewer)) == []


def test_a_required_question_left_blank_saves_nothing():
    session, (student,) = past_session(attendees=1)
    with pytest.raises(FeedbackError, match="needs an answer"):
        give_feedback(student, session, overall=None)
    assert not HasAnswered.objects.exists() and not Response.objects.exists()


def test_out_of_range_values_are_refused():
    session, (student,) = past_session(attendees=1)
    with pytest.raises(FeedbackError, match="1 to 5"):
        give_feedback(student, session, overall=6)
    assert not Response.objects.exists()


# --- anonymity -------------------------------------------------------------------------------


def _relations(model) -> set:
    return {
        f.related_model
        for f in model._meta.get_fields()
        if f.is_relation and f.related_model is not None
    }


def test_no_query_path_leads_from_a_response_to_a_member():
    """Response and Answer reference the session, form and question, never the respondent;
    the only user on an Answer is the tutor a per-tutor item is about."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    assert user_model not in _relations(Response)
    answer_user_fields = [
        f.name for f in Answer._meta.get_fields() if f.is_relation and f.related_model is user_model
    ]
    assert answer_user_fields == ["tutor"]
    # HasAnswered shares no key and no time with Response.
    has_fields = {f.name for f in HasAnswered._meta.get_fields()}
    assert has_fields == {"id", "user", "session"}
    assert isinstance(Response._meta.pk, models.UUIDField)
    assert isinstance(Answer._meta.pk, models.UUIDField)
    response_times = [
        f.name for f in Response._meta.get_fields() if isinstance(f, models.DateTimeField)
    ]
    assert response_times == []


def test_response_rows_hold_only_the_day_and_the_year_group():
    session, (student,) = past_session(attendees=1)
    student.year_of_study = "2"
    student.save()
    with time_machine.travel(timezone.now().replace(hour=15, minute=37), tick=False):
        response = give_feedback(student, session)
    values = Response.objects.filter(pk=response.pk).values().get()
    assert set(values) == {"id", "session_id", "form_id", "mode", "year_group", "submitted_on"}
    assert values["year_group"] == "2"
    assert type(values["submitted_on"]).__name__ == "date"


def test_per_tutor_questions_are_answered_for_each_tutor():
    from tests.factories.core import TutorFactory

    a, b = TutorFactory(), TutorFactory()
    session, (student,) = past_session(attendees=1, tutors=[a, b])
    give_feedback(student, session)
    per_tutor = Answer.objects.filter(question__key="explained")
    assert sorted(per_tutor.values_list("tutor_id", flat=True)) == sorted([a.pk, b.pk])


# --- the service checks the answers against the session's form ------------------------------


def _items(session, drop=None, **changes):
    from tests.factories.feedback import answers_for

    items = [i for i in answers_for(session) if i.question.key != drop]
    return [type(i)(i.question, changes.get(i.question.key, i.value), i.tutor_id) for i in items]


def test_a_required_question_left_out_of_the_call_is_refused():
    from feedback.services.responses import submit_feedback

    session, (student,) = past_session(attendees=1)
    with pytest.raises(FeedbackError, match=r"Overall quality.*needs an answer"):
        submit_feedback(student, session, Mode.LIVE, _items(session, drop="overall"))
    submit_feedback(student, session, Mode.LIVE, _items(session, drop="went_well"))  # optional
    assert Response.objects.count() == 1


def test_answers_must_belong_to_the_sessions_form_and_come_once():
    from feedback.models import FeedbackForm
    from feedback.services.questionnaires import copy_form_for_round, form_for_session
    from feedback.services.responses import AnswerInput, submit_feedback
    from tests.factories.tutors import RecruitmentRoundFactory

    session, (student,) = past_session(attendees=1)
    other = copy_form_for_round(form_for_session(session), RecruitmentRoundFactory(), "workshop")
    foreign = AnswerInput(other.questions.get(key="overall"), 5)
    with pytest.raises(FeedbackError, match="questions have changed"):
        submit_feedback(student, session, Mode.LIVE, [*_items(session), foreign])
    twice = _items(session)
    with pytest.raises(FeedbackError, match="only once"):
        submit_feedback(student, session, Mode.LIVE, [*twice, twice[0]])
    with pytest.raises(FeedbackError, match="1 to 5"):
        submit_feedback(student, session, Mode.LIVE, _items(session, overall="five"))
    assert not Response.objects.exists() and not HasAnswered.objects.exists()
    assert FeedbackForm.objects.count() == 2


def test_per_tutor_answers_must_name_each_tutor_of_the_session():
    from feedback.services.responses import AnswerInput, submit_feedback
    from tests.factories.core import TutorFactory
    from tests.factories.feedback import answers_for

    a, b = TutorFactory(), TutorFactory()
    session, (student,) = past_session(attendees=1, tutors=[a, b])
    items = answers_for(session)
    only_a = [i for i in items if i.tutor_id != b.pk]
    with pytest.raises(FeedbackError, match="explained things clearly: this question needs"):
        submit_feedback(student, session, Mode.LIVE, only_a)
    stranger = [
        AnswerInput(i.question, i.value, UserFactory().pk) if i.tutor_id == b.pk else i
        for i in items
    ]
    with pytest.raises(FeedbackError, match="one of the session's tutors"):
        submit_feedback(student, session, Mode.LIVE, stranger)
    assert not Response.objects.exists()
    submit_feedback(student, session, Mode.LIVE, items)
    assert Response.objects.count() == 1
