"""List pages of this feature do the same number of queries for 1 row as for 20."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.portfolio.services import save_reflection
from sessions_app.cover.services import ask_for_cover
from tests.factories import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.feedback import past_session
from tests.factories.sessions import TeachingSessionFactory
from tutors.mentoring.models import SchemeKind
from tutors.mentoring.services import ask_for_mentor, create_scheme, offer_to_mentor, run_matching

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_portfolio_page(client):
    def build(n):
        tutor = TutorFactory()
        for i in range(n):
            session, _ = past_session(tutors=[tutor], days_ago=i + 1)
            save_reflection(tutor, session, f"Note {i}", in_portfolio=True)
        client.force_login(tutor)
        return _count(client, reverse("feedback:portfolio"))

    assert build(1) == build(20)


def test_teaching_load_and_committee_cover_list(client):
    def build(n):
        tutor = TutorFactory()
        for _ in range(n):
            ask_for_cover(tutor, TeachingSessionFactory(tutors=[tutor]))
        client.force_login(tutor)
        load = _count(client, reverse("sessions_app:teaching_load"))
        client.force_login(CommitteeFactory())
        return load, _count(client, reverse("sessions_app:cover_committee"))

    one = build(1)
    from sessions_app.cover.models import CoverRequest

    CoverRequest.objects.all().delete()
    assert one == build(20)


def test_committee_mentoring_scheme_page(client):
    def build(n):
        scheme = create_scheme(CommitteeFactory(), f"Scheme {n}", SchemeKind.MENTORING)
        for _ in range(n):
            offer_to_mentor(UserFactory(year_of_study="6"), scheme, 1, ["exams"])
            ask_for_mentor(UserFactory(year_of_study="2"), scheme, ["exams"])
        run_matching(CommitteeFactory(), scheme)
        client.force_login(CommitteeFactory())
        return _count(client, reverse("mentoring_committee_scheme", args=[scheme.pk]))

    assert build(1) == build(20)
