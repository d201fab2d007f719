"""A session's page after a write: its session, topic, series, tutors and years are read
without compiling SQL, the same rows in the same order as `base_sessions` gave, and drafts stay
hidden from those who do not run them."""

from __future__ import annotations

import pytest

from sessions_app.scheduling.models import TeachingSession
from sessions_app.scheduling.selectors import base_sessions
from sessions_app.scheduling.session_page import session_page
from tests.factories.core import CommitteeFactory, TopicFactory, TutorFactory, UserFactory, year
from tests.factories.sessions import SeriesFactory, TeachingSessionFactory
from tests.support.remembering import cold_compiled, orm_compiles  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tutor():
    return TutorFactory(full_name="Ann Tutor")


@pytest.fixture
def session(tutor):
    others = [TutorFactory(full_name="Zoe <i>Z</i>"), TutorFactory(full_name="")]
    return TeachingSessionFactory(
        title="Heart & lungs",
        topic=TopicFactory(),
        series=SeriesFactory(bookable_as_whole=True),
        tutors=[*others, tutor],
        target_years=[year(5), year(2)],
        description="Bring a stethoscope.",
        delivery=TeachingSession.Delivery.HYBRID,
        join_link="https://example.test/room",
    )


def test_the_page_reads_what_the_orm_reads(session):
    orm = base_sessions().get(pk=session.pk)
    page = session_page(session.pk)
    assert page.session.__dict__.keys() >= {"title", "starts_at", "capacity"}
    fields = [f.attname for f in TeachingSession._meta.concrete_fields]
    assert [getattr(page.session, f) for f in fields] == [getattr(orm, f) for f in fields]
    assert (page.session.topic, page.session.topic.module) == (orm.topic, orm.topic.module)
    assert page.session.topic.module.name == orm.topic.module.name
    assert page.session.series == orm.series and page.session.series.bookable_as_whole
    assert [str(t) for t in page.tutors] == [str(t) for t in orm.tutors.all()]
    assert [t.pk for t in page.tutors] == [t.pk for t in orm.tutors.all()]
    assert [y.number for y in page.years] == [y.number for y in orm.target_years.all()] == [2, 5]
    assert session_page(10**12) is None and session_page(2**64) is None


def test_a_cold_visit_shows_the_same_facts_and_compiles_only_what_is_not_prepared(
    client,
    orm_compiles,  # noqa: F811
    session,
    tutor,
):
    url = f"/sessions/{session.pk}/"
    client.force_login(tutor)
    client.get(url)  # the first visit in this process compiles the prepared reads
    body, compiled = cold_compiled(client, url, orm_compiles)
    assert "Year 2, Year 5" in body
    assert "member" in body and "Ann Tutor, Zoe &lt;i&gt;Z&lt;/i&gt;</dd>" in body
    assert "Check-in code" in body and "https://example.test/room" in body
    # the member (signed in) only: their groups, the page's session, topic, series, tutors and
    # years, and the resources panel (its resources, whether the member teaches the session)
    # are all prepared
    assert not [
        sql
        for sql in compiled
        if "sessions_app_teachingsession_tutors" in sql and "meded_year" in sql
    ]
    assert len(compiled) <= 1, compiled  # the member (signed in): the panel is prepared too


@pytest.mark.parametrize(("who", "status"), [("student", 404), ("tutor", 200), ("committee", 200)])
def test_a_draft_exists_only_for_those_who_run_it(client, session, tutor, who, status):
    session.status = TeachingSession.Status.DRAFT
    session.save()
    member = {"student": UserFactory(), "tutor": tutor, "committee": CommitteeFactory()}[who]
    client.force_login(member)
    assert client.get(f"/sessions/{session.pk}/").status_code == status
    assert client.get("/sessions/99999999999/").status_code == 404
