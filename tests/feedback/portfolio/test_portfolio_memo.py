"""The portfolio and its PDF read cold (after a write to every table): no read of their own is
compiled, the feedback summary is the one the answers give (released sessions only, pooled
items of at least k answers), and the body and PDF, kept once per process for what they show,
follow every change of what they show."""

import pytest
from django.db import connection
from django.urls import reverse

from feedback.portfolio import selectors
from feedback.portfolio.models import CareerLink
from feedback.portfolio.services import save_reflection
from feedback.selectors.dashboards import _tutor_rows
from feedback.selectors.stats import questions_for, summarise
from meded.remember import bump
from tests.factories import TutorFactory
from tests.feedback.test_feedback_teaching_pages import _taught
from tests.support.remembering import cold_compiled, orm_compiles  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
URL, PDF = "/feedback/portfolio/", "/feedback/portfolio/portfolio.pdf"


@pytest.fixture
def tutor(client):
    member = TutorFactory()
    _taught(member, 2, days_ago=40)
    client.force_login(member)
    return member


def _cold_pdf(client, compiles: list[str]) -> tuple[bytes, int]:
    """The PDF as the first visitor after a write to every table gets it, and the SELECTs the
    ORM compiled for it."""
    bump(connection.introspection.table_names())
    compiles.clear()
    response = client.get(PDF)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content, len(compiles)


def test_the_feedback_summary_is_the_one_every_answer_gives(tutor):
    p = selectors.portfolio(tutor)
    released = [r.session.pk for r in p.results if r.released]
    rows = [r for r in _tutor_rows(tutor, released) if r["value_int"] is not None]
    expected = [s for s in summarise(rows, questions_for(rows)) if s.is_numeric and s.n >= 3]
    assert len(released) == 2 and p.feedback and p.feedback == expected


def test_a_cold_visit_compiles_only_the_members_own_reads(client, tutor, orm_compiles):  # noqa: F811
    assert reverse("feedback:portfolio") == URL and reverse("feedback:portfolio_pdf") == PDF
    session = tutor.teaching_sessions.order_by("pk").first()
    save_reflection(tutor, session, "Went well", in_portfolio=False)
    cold_compiled(client, URL, orm_compiles)  # the process's first visit compiles its reads
    _, compiled = cold_compiled(client, URL, orm_compiles)
    assert len(compiled) <= 2, "\n".join(compiled)  # the member and their roles
    _cold_pdf(client, orm_compiles)
    assert _cold_pdf(client, orm_compiles)[1] <= 2
    page, _ = cold_compiled(client, URL, orm_compiles)
    assert "Went well" in page and "Taught 040" in page and "Taught 041" in page


def test_a_cold_visit_shows_what_changed_since_the_body_was_memoised(client, tutor, orm_compiles):  # noqa: F811
    before, _ = cold_compiled(client, URL, orm_compiles)
    session = tutor.teaching_sessions.order_by("pk").first()
    save_reflection(tutor, session, "A new reflection", in_portfolio=True)
    CareerLink.objects.create(title="Teaching fellowships", url="https://example.org/tf")
    after, _ = cold_compiled(client, URL, orm_compiles)
    assert "A new reflection" in after and "Teaching fellowships" in after
    assert "A new reflection" not in before


def test_the_pdf_is_drawn_again_when_what_it_prints_changes(client, tutor, orm_compiles):  # noqa: F811
    first, _ = _cold_pdf(client, orm_compiles)
    again, _ = _cold_pdf(client, orm_compiles)
    assert again == first  # the same facts: the same bytes
    session = tutor.teaching_sessions.order_by("pk").first()
    save_reflection(tutor, session, "Included in the PDF", in_portfolio=True)
    assert _cold_pdf(client, orm_compiles)[0] != first
