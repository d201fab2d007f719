"""The answer page: an honest time estimate, and an error summary at the top when the server
sends the form back, linking each problem to its question."""

import pytest
from django.urls import reverse

from feedback.models import Response
from tests.factories.feedback import past_session
from tests.support import html as parsed

pytestmark = pytest.mark.django_db


def test_the_page_says_how_many_questions_and_how_long(client):
    session, (student,) = past_session(attendees=1)
    client.force_login(student)
    page = client.get(reverse("feedback:answer", args=[session.pk])).content.decode()
    text = parsed.text(page)
    assert "questions, about" in text and "minute" in text
    assert 'id="error-summary"' not in page


def test_a_rejected_answer_puts_a_summary_first_with_links_to_the_questions(client):
    session, (student,) = past_session(attendees=1)
    client.force_login(student)
    response = client.post(reverse("feedback:answer", args=[session.pk]), {"mode": "live"})
    page = response.content.decode()
    assert response.status_code == 200 and not Response.objects.exists()
    summary = page.index('id="error-summary"')
    assert summary < page.index('<form method="post" novalidate>')
    assert 'tabindex="-1"' in page[summary - 200 : summary + 200]
    assert "autofocus" in page[summary - 200 : summary + 300]
    assert 'href="#id_q_overall_0"' in page and 'id="id_q_overall_0"' in page
    assert "feedback/answer.js" in page
