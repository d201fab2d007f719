"""The member's feedback pages are cached per member and minute: an answer or a certificate
shows on the next visit, members never see each other's page, what was answered comes 25 to a
page, the questionnaire's CSRF token is the visitor's own, and a repeat visit costs the same few
queries whatever the history."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.models import HasAnswered
from feedback.services.certificates import issue_attendance_certificate
from tests.factories.core import UserFactory
from tests.factories.feedback import give_feedback, past_session
from tests.factories.sessions import SeriesFactory

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
MINE = "/feedback/"
CERTIFICATES = "/feedback/certificates/"


def body(client, url) -> str:
    return client.get(url).content.decode()


def repeat_visit_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def answered_history(student, n):
    """`n` sessions the member gave feedback on (the note that they answered, as the service
    keeps it), titled so that the latest sorts first."""
    for i in range(n):
        session, _ = past_session(days_ago=3 + i, title=f"Answered {i:03d}")
        HasAnswered.objects.create(session=session, user=student)


def test_an_answer_moves_the_session_from_awaiting_to_given_on_the_next_visit(client):
    session, (student,) = past_session(attendees=1, title="Renal physiology")
    client.force_login(student)
    url = reverse("feedback:answer", args=[session.pk])
    assert f'href="{url}"' in body(client, MINE)
    assert "Send feedback" in body(client, url)
    give_feedback(student, session)
    page = body(client, MINE)
    assert f'href="{url}"' not in page and "Renal physiology (" in page
    assert "Send feedback" not in body(client, url)


def test_two_members_never_see_each_others_feedback_or_certificates(client):
    series = SeriesFactory(title="Cardiology series")
    _session, (anna,) = past_session(attendees=1, series=series, title="Anna lecture")
    ben = UserFactory()
    cert = issue_attendance_certificate(anna, series)
    client.force_login(anna)
    assert "Anna lecture" in body(client, MINE) and cert.code in body(client, CERTIFICATES)
    client.force_login(ben)
    assert "Anna lecture" not in body(client, MINE)
    assert cert.code not in body(client, CERTIFICATES)


def test_a_new_certificate_shows_on_the_next_visit(client):
    series = SeriesFactory(title="Respiratory series")
    _session, (student,) = past_session(attendees=1, series=series)
    client.force_login(student)
    assert "You have no certificates yet." in body(client, CERTIFICATES)
    cert = issue_attendance_certificate(student, series)
    assert cert.code in body(client, CERTIFICATES)


def test_the_cached_questionnaire_carries_each_visitors_own_csrf_token():
    session, (student,) = past_session(attendees=1)
    url = reverse("feedback:answer", args=[session.pk])
    tokens = []
    for _ in range(2):  # two browsers of the same member: the second is served from the cache
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(student)
        page = body(browser, url)
        assert "__MEDED_CSRF__" not in page
        token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        tokens.append(token)
        assert browser.post(url, {"csrfmiddlewaretoken": token}).status_code == 200  # form errors
    assert tokens[0] != tokens[1]


def test_what_was_answered_comes_25_to_a_page(client):
    student = UserFactory()
    answered_history(student, 30)
    client.force_login(student)
    first = body(client, MINE)
    assert "Answered 000" in first and "Answered 024" in first and "Page 1 of 2" in first
    assert "Answered 025" not in first
    assert "Answered 029" in body(client, MINE + "?page=2")


@pytest.mark.parametrize("url", [MINE, CERTIFICATES])
def test_a_repeat_visit_costs_the_same_few_queries_with_1_and_30_answers(client, url):
    student = UserFactory()
    client.force_login(student)
    answered_history(student, 1)
    small = repeat_visit_queries(client, url)
    answered_history(student, 29)
    assert repeat_visit_queries(client, url) == small
    assert small <= 3  # the member's session and user, their roles: nothing of the page
