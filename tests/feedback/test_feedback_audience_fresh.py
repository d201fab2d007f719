"""At the start of term someone books every few milliseconds. The pages built on feedback figures
count the audience (attendees and recording viewers) afresh on each visit, in one query, and
remember the rest: another session's booking costs them no recomputation, and a change of an
audience they show is on the very next visit, exact."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.selectors.aggregates import audience_counts
from sessions_app.booking.services import book
from sessions_app.models import Booking, Resource
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.feedback import attend, give_feedback, past_session, watch
from tests.factories.sessions import TeachingSessionFactory
from tests.factories.tutors import RecruitmentRoundFactory
from tests.support import html as parsed
from tests.support.remembering import one_minute  # noqa: F401 (a fixture)
from tutors.models import FastTrackRule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute", "one_minute")]

DASHBOARD = "/committee/feedback/"
TUTOR_PAGES = [
    "feedback:teaching",
    "feedback:portfolio",
    "feedback:portfolio_pdf",
    "tutors_fast_track",
]


def _released(tutor, title: str, attendees: int = 4, answers: int = 3):
    """A session long over whose feedback window has closed with `answers` responses."""
    session, students = past_session(attendees=attendees, tutors=[tutor], days_ago=40, title=title)
    with time_machine.travel(session.ends_at + timedelta(hours=1), tick=False):
        for student in students[:answers]:
            give_feedback(student, session, overall=4)
    return session


def _visit(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode(errors="replace")


def _row(html: str, title: str) -> str:
    return next(tr.text for tr in parsed.elements(html, "tr") if title in tr.text)


def a_booking_to_come():
    """A student and a session to come (made before the visits: they are writes of their own);
    calling the result books the place through the booking service, as at the start of term."""
    student, session = UserFactory(), TeachingSessionFactory()
    return lambda: book(student, session)


def test_a_booking_elsewhere_leaves_the_committee_dashboard_remembered_at_two_sizes(client):
    client.force_login(CommitteeFactory())
    tutor = TutorFactory()
    counts = []
    for n in (1, 6):
        for i in range(n):
            _released(tutor, f"Held {n}-{i}")
        someone_books = a_booking_to_come()
        client.get(DASHBOARD)
        again, _ = _visit(client, DASHBOARD)
        someone_books()
        busy, _ = _visit(client, DASHBOARD)
        assert busy == again  # nothing recomputed: the audience alone was counted afresh
        counts.append(busy)
    assert counts[0] == counts[1]


def test_a_newly_marked_attendee_changes_the_committee_figures_on_the_next_visit(client):
    client.force_login(CommitteeFactory())
    session = _released(TutorFactory(), "Renal physiology")  # 3 responses of 4 attendees
    _, html = _visit(client, DASHBOARD)
    assert "75.0%" in _row(html, "Renal physiology")
    attend(session)  # a fifth attendee marked on the register
    _, html = _visit(client, DASHBOARD)
    row = _row(html, "Renal physiology")
    assert "60.0%" in row and "75.0%" not in row
    viewer = UserFactory()
    recording = Resource.objects.create(kind="recording", title="Rec", session=session)
    watch(viewer, recording)  # a sixth member could answer: they watched the recording
    _, html = _visit(client, DASHBOARD)
    assert "50.0%" in _row(html, "Renal physiology")


@pytest.mark.parametrize("name", TUTOR_PAGES)
def test_a_booking_elsewhere_leaves_the_tutors_pages_remembered_at_two_sizes(client, name):
    rule = {"min_sessions": 2, "min_mean": Decimal("4.5"), "min_responses": 6}
    FastTrackRule.objects.create(round=RecruitmentRoundFactory(), enabled=True, **rule)
    tutor = TutorFactory()
    client.force_login(tutor)
    url = reverse(name)
    counts = []
    for n in (1, 6):
        for i in range(n):
            _released(tutor, f"Taught {n}-{i}")
        someone_books = a_booking_to_come()
        client.get(url)
        again, _ = _visit(client, url)
        someone_books()
        busy, _ = _visit(client, url)
        assert busy == again
        counts.append(busy)
    assert counts[0] == counts[1]


def test_a_newly_marked_attendee_changes_the_tutors_rate_on_the_next_visit(client):
    tutor = TutorFactory()
    client.force_login(tutor)
    session = _released(tutor, "Cardiac cycle")
    url = reverse("feedback:teaching")
    _, html = _visit(client, url)
    assert "75.0%" in _row(html, "Cardiac cycle")
    attend(session)
    _, html = _visit(client, url)
    assert "60.0%" in _row(html, "Cardiac cycle")
    assert "Response rate in released sessions: 60.0%" in parsed.text(html)


def test_the_audience_is_counted_in_one_query_whatever_the_number_of_sessions():
    """Attendees once each, plus viewers who did not attend; not-attended, cancelled and
    not-watched do not count."""
    held, students = past_session(attendees=2, days_ago=3)
    attend(held, attended=False)
    cancelled = attend(held)
    Booking.objects.filter(pk=cancelled.pk).update(status=Booking.Status.CANCELLED)
    recording = Resource.objects.create(kind="recording", title="Rec", session=held)
    watch(students[0], recording)  # attended too: counted once
    watch(UserFactory(), recording)
    unwatched = UserFactory()
    watch(unwatched, recording)
    recording.playbacks.filter(user=unwatched).update(watched=False)
    empty, _ = past_session(attendees=0, days_ago=4)
    with CaptureQueriesContext(connection) as ctx:
        assert audience_counts([held.pk, empty.pk]) == {held.pk: 3, empty.pk: 0}
    one = len(ctx.captured_queries)
    many = [past_session(attendees=1, days_ago=5)[0].pk for _ in range(8)]
    with CaptureQueriesContext(connection) as ctx:
        assert audience_counts(many) == dict.fromkeys(many, 1)
    assert one == len(ctx.captured_queries) == 1
    odd = [held.pk, empty.pk, many[0]]  # three ids: the statement is padded to four
    assert audience_counts(odd) == {held.pk: 3, empty.pk: 0, many[0]: 1}
    assert audience_counts([]) == {}
