"""The member's feedback page read cold (after a write to every table): what awaits them (with
its topic) and what they answered come from reads compiled once per process, with the same
rows and pages as the querysets they stand for."""

import pytest

from feedback.selectors import eligibility
from tests.factories.core import TopicFactory
from tests.factories.feedback import past_session
from tests.feedback.test_feedback_pages_cache import answered_history
from tests.support.remembering import cold_compiled, orm_compiles  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
MINE = "/feedback/"


def test_the_prepared_reads_give_the_querysets_rows():
    first, (student,) = past_session(
        attendees=1, days_ago=1, title="Awaits one", topic=TopicFactory(title="Kidney")
    )
    past_session(attendees=0, days_ago=1, title="Not attended")
    answered_history(student, 3)
    awaiting = eligibility.awaiting_with_topics(student)
    assert awaiting == list(eligibility.awaiting(student)) == [first]
    assert [(s.topic.code, s.topic.title) for s in awaiting] == [
        (first.topic.code, first.topic.title)
    ]
    rows = eligibility.answered_rows(student)
    assert [(s.pk, s.title, s.starts_at) for s in eligibility.answered(student)] == [
        tuple(r) for r in rows
    ]
    assert [r.title for r in rows] == ["Answered 000", "Answered 001", "Answered 002"]


def test_a_cold_visit_compiles_only_the_members_own_reads(client, orm_compiles):  # noqa: F811
    session, (student,) = past_session(
        attendees=1, title="Renal physiology", topic=TopicFactory(title="Nephron")
    )
    answered_history(student, 27)
    client.force_login(student)
    cold_compiled(client, MINE, orm_compiles)  # the process's first visit compiles its reads
    page, compiled = cold_compiled(client, MINE, orm_compiles)
    assert len(compiled) <= 2, "\n".join(compiled)  # the member and their roles
    assert "Renal physiology" in page and f"{session.topic.code} Nephron" in page
    assert "Answered 000" in page and "Answered 024" in page and "Answered 025" not in page
    older, _ = cold_compiled(client, MINE + "?page=2", orm_compiles)
    assert "Answered 025" in older and "Answered 026" in older and "Page 2 of 2" in older
