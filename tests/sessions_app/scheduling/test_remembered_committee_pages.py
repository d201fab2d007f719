"""The committee's scheduling pages are remembered (meded.remember): a change made through a
service shows on the very next visit, members without the role never get the page, a form keeps
each member's own CSRF token, and a second visit costs the same queries at two data sizes."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from sessions_app.booking import services as booking
from sessions_app.models import TeachingSession
from sessions_app.scheduling import services as scheduling
from sessions_app.scheduling.views import committee as views
from tests.factories import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.sessions import TeachingSessionFactory
from tests.support.remembering import one_minute, second_visit  # noqa: F401 (a fixture)

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
DRAFT = TeachingSession.Status.DRAFT


def edit_url(session) -> str:
    return reverse("sessions_app:committee_edit", args=[session.pk])


def main(html: str) -> str:
    return html.split("<main", 1)[-1]


def test_a_session_published_by_the_service_shows_on_the_next_visit_of_its_form(client):
    session = TeachingSessionFactory(status=DRAFT)
    client.force_login(CommitteeFactory())
    assert "Status: <strong>Draft</strong>" in client.get(edit_url(session)).content.decode()
    scheduling.publish(session)
    html = client.get(edit_url(session)).content.decode()
    assert "Status: <strong>Published</strong>" in html
    assert ">Publish</button>" not in html


def test_a_duplicated_session_shows_on_the_next_visit_of_the_list(client):
    session = TeachingSessionFactory(title="Renal physiology")
    client.force_login(CommitteeFactory())
    url = reverse("sessions_app:committee_list")
    assert main(client.get(url).content.decode()).count("Renal physiology") == 1
    scheduling.duplicate(session)
    assert main(client.get(url).content.decode()).count("Renal physiology") == 2


@pytest.mark.parametrize("page", ["list", "new", "edit"])
def test_members_without_the_role_are_refused_after_the_committee_saw_the_page(client, page):
    session = TeachingSessionFactory(title="Cardiac cycle")
    url = {
        "list": reverse("sessions_app:committee_list"),
        "new": reverse("sessions_app:committee_create"),
        "edit": edit_url(session),
    }[page]
    client.force_login(CommitteeFactory())
    assert client.get(url).status_code == 200
    for member in (TutorFactory(), UserFactory()):
        client.force_login(member)
        response = client.get(url)
        assert response.status_code == 403
        assert "Cardiac cycle" not in main(response.content.decode())


def test_each_member_gets_their_own_csrf_token_in_a_remembered_form():
    session = TeachingSessionFactory(status=DRAFT)
    tokens = []
    for member in (CommitteeFactory(), CommitteeFactory()):
        client = Client(enforce_csrf_checks=True)
        client.force_login(member)
        html = client.get(edit_url(session)).content.decode()
        assert "__MEDED_CSRF__" not in html
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        tokens.append(token)
        # the token works: the publish form posts through the CSRF check
        publish = reverse("sessions_app:committee_publish", args=[session.pk])
        assert client.post(publish, {"csrfmiddlewaretoken": token}).status_code == 302
    assert tokens[0] != tokens[1]


def test_a_form_sent_with_errors_is_shown_as_sent_not_from_the_cache(client):
    session = TeachingSessionFactory(title="Endocrine axes")
    client.force_login(CommitteeFactory())
    client.get(edit_url(session))
    response = client.post(edit_url(session), {"title": "Endocrine axes, revised"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Endocrine axes, revised"' in html
    assert "is-invalid" in html or "errorlist" in html or "invalid-feedback" in html


@pytest.mark.usefixtures("one_minute")
@pytest.mark.parametrize("page", ["list", "edit", "new"])
def test_a_second_visit_costs_the_same_queries_with_few_and_many_sessions(client, page):
    client.force_login(CommitteeFactory())
    counts = []
    for extra in (1, 30):
        sessions = TeachingSessionFactory.create_batch(extra)
        url = {
            "list": reverse("sessions_app:committee_list"),
            "new": reverse("sessions_app:committee_create"),
            "edit": edit_url(sessions[0]),
        }[page]
        queries, _html = second_visit(client, url)
        counts.append(queries)
    assert counts[0] == counts[1]
    assert counts[1] <= 5


def test_the_list_is_kept_through_students_bookings_and_shows_their_places(client, monkeypatch):
    """Students book all day at the start of term: the committee's list reads no booking in
    what it remembers; each visit counts the places of the sessions listed afresh."""
    session = TeachingSessionFactory(title="Renal physiology", capacity=1)
    students = UserFactory.create_batch(3)
    drawn = []
    real = views.selectors.committee_sessions
    monkeypatch.setattr(
        views.selectors,
        "committee_sessions",
        lambda *a, **kw: drawn.append(1) or real(*a, **kw),
    )
    client.force_login(CommitteeFactory())
    url = reverse("sessions_app:committee_list")
    assert "<td>0/1</td>" in client.get(url).content.decode()
    booking.book(students[0], session)
    assert "<td>1/1</td>" in client.get(url).content.decode()
    booking.book(students[1], session)
    booking.book(students[2], session)
    assert "<td>1/1 (+2 waiting)</td>" in client.get(url).content.decode()
    assert len(drawn) == 1
