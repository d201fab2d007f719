"""The portfolio page and PDF are remembered per member: a change shows on the next request,
nobody sees another tutor's portfolio, and a second visit costs the same at any history size."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from feedback.portfolio.services import save_reflection, set_included
from tests.factories import CommitteeFactory, TutorFactory
from tests.factories.feedback import past_session

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
PAGE, PDF = "feedback:portfolio", "feedback:portfolio_pdf"


def _get(client, name: str):
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response


def _pdf_text(client) -> str:
    data = _get(client, PDF).content
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _second_visit(client, name: str) -> int:
    _get(client, name)
    with CaptureQueriesContext(connection) as ctx:
        _get(client, name)
    return len(ctx.captured_queries)


def test_a_reflection_saved_or_included_shows_on_the_next_request(client):
    tutor = TutorFactory()
    session, _ = past_session(tutors=[tutor], days_ago=2)
    client.force_login(tutor)
    assert "Kept my timing" not in _get(client, PAGE).content.decode()
    assert "Kept my timing" not in _pdf_text(client)
    reflection = save_reflection(tutor, session, "Kept my timing", in_portfolio=False)
    page = _get(client, PAGE).content.decode()
    assert "Kept my timing" in page and "Private" in page
    assert "Kept my timing" not in _pdf_text(client)  # private: not in the PDF
    set_included(tutor, reflection, True)
    assert "In your portfolio" in _get(client, PAGE).content.decode()
    assert "Kept my timing" in _pdf_text(client)


def test_two_tutors_and_a_committee_member_never_see_each_others_portfolio(client):
    ada, ben = TutorFactory(full_name="Ada Tutor"), TutorFactory(full_name="Ben Tutor")
    session, _ = past_session(tutors=[ada], days_ago=2, title="Ada's cardiac tutorial")
    save_reflection(ada, session, "Ada's own note", in_portfolio=True)
    client.force_login(ada)
    assert "cardiac tutorial" in _get(client, PAGE).content.decode()
    assert "own note" in _pdf_text(client)
    for other in (ben, CommitteeFactory()):
        client.force_login(other)
        theirs = _get(client, PAGE).content.decode()
        assert "own note" not in theirs and "cardiac tutorial" not in theirs
        assert "own note" not in _pdf_text(client)


@pytest.mark.parametrize("name", [PAGE, PDF])
def test_a_second_visit_costs_the_same_queries_for_1_or_15_sessions(client, name):
    def second_visit(n: int) -> int:
        tutor = TutorFactory()
        for i in range(n):
            session, _ = past_session(tutors=[tutor], days_ago=i + 2)
            save_reflection(tutor, session, f"Note {i}", in_portfolio=True)
        client.force_login(tutor)
        return _second_visit(client, name)

    assert second_visit(1) == second_visit(15) <= 3
