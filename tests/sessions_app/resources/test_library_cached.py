"""The library (/resources/) is kept per member by remember(): a resource published, or a place
booked, shows on the very next request; what one member may open never shows to another; a
repeat visit costs a fixed few queries whatever the size of the library."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sessions_app.booking import services as booking
from sessions_app.models import Resource
from sessions_app.resources.services import publish
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.resources import ResourceFactory
from tests.factories.sessions import TeachingSessionFactory

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
V = Resource.Visibility


def library(client, user, url="/resources/"):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_published_resource_shows_on_the_next_visit(client):
    ann = UserFactory()
    draft = ResourceFactory(
        title="ECG primer", status=Resource.Status.AWAITING_REVIEW, with_file=True
    )
    assert "ECG primer" not in library(client, ann)
    publish(CommitteeFactory(), draft)
    assert "ECG primer" in library(client, ann)


def test_attendee_resources_show_to_the_booked_member_only(client):
    session = TeachingSessionFactory()
    ResourceFactory(title="Attendee handout", session=session, visibility=V.ATTENDEES)
    ResourceFactory(title="Tutor notes", visibility=V.STAFF)
    ann, bob, tutor = UserFactory(), UserFactory(), TutorFactory()
    assert "Attendee handout" not in library(client, ann)
    booking.book(ann, session)
    assert "Attendee handout" in library(client, ann)
    html = library(client, bob)
    assert "Attendee handout" not in html and "Tutor notes" not in html
    html = library(client, tutor)
    assert "Tutor notes" in html and "Attendee handout" not in html
    assert "Tutor notes" not in library(client, ann)


def test_a_repeat_visit_costs_the_same_with_1_and_20_resources(client):
    ann = UserFactory()
    client.force_login(ann)
    ResourceFactory()

    def repeat():
        client.get("/resources/?q=Resource")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/resources/?q=Resource").status_code == 200
        return len(ctx.captured_queries)

    one = repeat()
    for _ in range(19):
        ResourceFactory()
    assert repeat() == one
    assert one <= 5
