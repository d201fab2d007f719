"""A tutor's teaching page read cold (after a write to every table): it compiles no read of its
own, and its body, rendered once per process for what it shows, follows every change of what it
shows (a new observation, a released session) and never shows one tutor's results to another."""

import re

import pytest
from django.urls import reverse

from feedback.models import PeerObservation
from feedback.models.observations import RUBRIC
from meded import fragment_memo as fragments
from tests.factories.core import TutorFactory
from tests.feedback.test_feedback_teaching_pages import _taught
from tests.support.remembering import cold_compiled, orm_compiles  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
URL = "/feedback/mine/teaching/"


@pytest.fixture
def tutor(client):
    member = TutorFactory()
    _taught(member, 2, days_ago=40)
    client.force_login(member)
    return member


def _observe(tutor, strengths: str) -> PeerObservation:
    session = tutor.teaching_sessions.order_by("pk").first()
    return PeerObservation.objects.create(
        session=session,
        tutor=tutor,
        observer=TutorFactory(full_name="Olive Observer"),
        scores={key: 3 for key, _ in RUBRIC},
        strengths=strengths,
    )


def _without_tokens(html: str) -> str:
    """The page without its CSRF tokens (masked afresh on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_a_cold_visit_compiles_only_the_members_own_reads(client, tutor, orm_compiles):  # noqa: F811
    assert reverse("feedback:teaching") == URL
    cold_compiled(client, URL, orm_compiles)  # the process's first visit compiles its reads
    _observe(tutor, "Clear")
    page, compiled = cold_compiled(client, URL, orm_compiles)
    # the member and their roles (Django's own); not the sessions, answers, observations
    assert len(compiled) <= 2, "\n".join(compiled)
    assert "Olive Observer" in page and "Clear" in page and "Taught 040" in page


def test_a_cold_visit_shows_what_changed_since_the_body_was_memoised(client, tutor, orm_compiles):  # noqa: F811
    first, _ = cold_compiled(client, URL, orm_compiles)
    again, _ = cold_compiled(client, URL, orm_compiles)
    assert _without_tokens(again) == _without_tokens(first)
    _observe(tutor, "Lively questions")
    _taught(tutor, 1, days_ago=20)
    after, _ = cold_compiled(client, URL, orm_compiles)
    assert "Lively questions" in after and "Taught 020" in after
    assert "Lively questions" not in first


def test_the_memo_never_serves_one_tutors_page_to_another(client, tutor, orm_compiles):  # noqa: F811
    _observe(tutor, "Only for the first tutor")
    mine, _ = cold_compiled(client, URL, orm_compiles)
    other = TutorFactory()
    client.force_login(other)
    theirs, _ = cold_compiled(client, URL, orm_compiles)
    assert "Only for the first tutor" in mine and "Taught 040" in mine
    assert "Only for the first tutor" not in theirs and "Taught 040" not in theirs


def test_the_memo_is_bounded(client, tutor, orm_compiles, monkeypatch):  # noqa: F811
    monkeypatch.setattr(fragments, "_memo", fragments.Memo(1))
    cold_compiled(client, URL, orm_compiles)
    client.force_login(TutorFactory())
    cold_compiled(client, URL, orm_compiles)
    assert len(fragments._memo) == 1 and "Taught 040" not in fragments._memo.values()[0]
