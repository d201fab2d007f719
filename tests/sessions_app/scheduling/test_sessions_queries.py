"""List pages cost the same number of queries with 1 row as with 20."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.core import CommitteeFactory, TopicFactory, TutorFactory, UserFactory, year
from tests.factories.sessions import BookingFactory, SeriesFactory, TeachingSessionFactory

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]


def make_sessions(n, student):
    tutor = TutorFactory()
    series = SeriesFactory()
    for i in range(n):
        s = TeachingSessionFactory(
            tutors=[tutor, TutorFactory()],
            target_years=[year(3), year(4)],
            topic=TopicFactory(),
            series=series,
            capacity=1 if i % 2 else None,
        )
        BookingFactory(session=s, student=student, status="confirmed" if i % 3 else "waiting")
        BookingFactory(session=s)


def count(client, url):
    """Queries of a visit that computes everything (cached fragments dropped first, so the two
    sizes are compared on the same, uncached, path)."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("url", "who"),
    [
        ("/sessions/?year=", "student"),
        ("/sessions/?year=3&has_places=on", "student"),
        ("/sessions/calendar/?year=", "student"),
        ("/sessions/calendar/?view=week&year=", "student"),
        ("/sessions/mine/", "student"),
        ("/committee/sessions/", "committee"),
        ("/", "student"),
    ],
)
def test_same_queries_for_1_and_20_rows(client, url, who):
    student = UserFactory()
    committee = CommitteeFactory()
    user = student if who == "student" else committee
    client.force_login(user)
    make_sessions(1, student)
    one = count(client, url)
    make_sessions(19, student)
    twenty = count(client, url)
    assert one == twenty


def test_register_and_no_shows_constant(client):
    tutor = TutorFactory()
    session = TeachingSessionFactory(tutors=[tutor])
    client.force_login(CommitteeFactory())
    BookingFactory(session=session, attended=False)
    url = reverse("sessions_app:register", args=[session.pk])
    one = (count(client, url), count(client, reverse("sessions_app:committee_no_shows")))
    for _ in range(19):
        BookingFactory(session=session, attended=False)
    assert (count(client, url), count(client, reverse("sessions_app:committee_no_shows"))) == one


def test_the_committee_list_reads_only_what_it_prints(client):
    """Its rows print each session's own fields and its tutors' names: no topic, series or year
    is read, and of a tutor only what their name needs (the list is read afresh after any
    write to a session)."""
    make_sessions(3, UserFactory())
    client.force_login(CommitteeFactory())
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/committee/sessions/").status_code == 200
    statements = [q["sql"] for q in ctx.captured_queries]
    read = " ".join(statements)
    assert "meded_topic" not in read and "sessions_app_series" not in read
    assert "meded_year" not in read
    tutors = [s for s in statements if "teachingsession_tutors" in s]
    assert len(tutors) == 1 and '"meded_user"."password"' not in tutors[0]
    assert count(client, "/committee/sessions/") == len(statements)


def test_the_session_form_reads_the_session_s_tutors_and_years_once(client):
    """The form's values and the clashes listed beside it share one read of each (the tutor
    list to choose from, SELECT DISTINCT, is a read of its own)."""
    session = TeachingSessionFactory(tutors=[TutorFactory()], target_years=[year(3)])
    client.force_login(CommitteeFactory())
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/committee/sessions/{session.pk}/").status_code == 200
    own = [
        s
        for s in (q["sql"] for q in ctx.captured_queries)
        if "SELECT DISTINCT" not in s
        and (
            f'"teachingsession_id" = {session.pk}' in s
            or f'"teachingsession_id" IN ({session.pk})' in s
        )
    ]
    assert sum("teachingsession_tutors" in s for s in own) == 1
    assert sum("teachingsession_target_years" in s for s in own) == 1
