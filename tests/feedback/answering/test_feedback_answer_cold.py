"""The questionnaire read cold (after a write to every table): the session with its topic and
tutors, and whether the member may answer (attended, watched, already answered, the recording's
window), come from reads compiled once per process, and decide as the querysets did."""

import pytest
from django.urls import reverse

from feedback.selectors import eligibility
from tests.factories.core import TopicFactory, UserFactory
from tests.factories.feedback import give_feedback, past_session
from tests.support.remembering import cold_compiled, orm_compiles  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]


def test_the_session_comes_with_its_topic_and_tutors():
    session, _ = past_session(attendees=1, topic=TopicFactory(title="Nephron"))
    found = eligibility.session_with_tutors(session.pk)
    assert found == session and found.topic.title == "Nephron"
    assert list(found.tutors.all()) == list(session.tutors.all())
    assert found.is_taught_by(session.tutors.get()) and not found.is_taught_by(UserFactory())
    assert eligibility.session_with_tutors(session.pk + 1000) is None


def test_a_cold_questionnaire_compiles_only_the_members_own_reads(client, orm_compiles):  # noqa: F811
    session, (student,) = past_session(attendees=1, title="Renal physiology")
    client.force_login(student)
    url = reverse("feedback:answer", args=[session.pk])
    cold_compiled(client, url, orm_compiles)  # the process's first visit compiles its reads
    page, compiled = cold_compiled(client, url, orm_compiles)
    assert "Send feedback" in page and "Renal physiology" in page
    # the session, its tutors, whether the member may answer, the form and its questions, the
    # society's questions: all prepared; the member and their roles are Django's own
    assert len(compiled) <= 2, "\n".join(compiled)
    give_feedback(student, session)
    page, _ = cold_compiled(client, url, orm_compiles)
    assert "already given feedback" in page
    client.force_login(UserFactory())
    page, _ = cold_compiled(client, url, orm_compiles)
    assert "attended or watched" in page
