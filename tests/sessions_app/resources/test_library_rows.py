"""The library's unfiltered list is read by statements compiled once per process and each row
is rendered once per process for what it shows (sessions_app/resources/library.py): a visit
after a write builds no query of the list, yet every change to a row shows at once, and what
one member may open never shows to another."""

import pytest

from meded.models import Topic
from sessions_app.booking import services as booking
from sessions_app.models import Resource
from tests.factories.core import CommitteeFactory, TopicFactory, TutorFactory, UserFactory
from tests.factories.resources import ResourceFactory
from tests.factories.sessions import TeachingSessionFactory
from tests.support.remembering import cold_compiled, orm_compiles  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
V = Resource.Visibility


def _topic(code: str, title: str) -> Topic:
    return TopicFactory(code=code, title=title)


@pytest.mark.parametrize("role", ["student", "tutor", "committee"])
def test_a_cold_visit_compiles_no_read_of_the_list(client, orm_compiles, role):  # noqa: F811
    member = {"student": UserFactory, "tutor": TutorFactory, "committee": CommitteeFactory}[role]()
    ResourceFactory.create_batch(3, topics=[_topic("CV1", "Murmurs")])
    client.force_login(member)
    client.get("/resources/")  # the first visit in this process compiles the prepared reads
    body, compiled = cold_compiled(client, "/resources/", orm_compiles)
    assert body.count("CV1 Murmurs") == 3
    assert not [sql for sql in compiled if "sessions_app_resource" in sql], compiled


def test_a_changed_title_topic_or_session_shows_on_the_next_visit(client):
    ann = UserFactory()
    session = TeachingSessionFactory(title="Heart sounds")
    handout = ResourceFactory(title="Old title", topics=[_topic("CV1", "Murmurs")])
    client.force_login(ann)
    assert "Old title" in client.get("/resources/").content.decode()
    Resource.objects.filter(pk=handout.pk).update(title="New title", session=session)
    handout.topics.add(_topic("CV2", "Valves"))
    body = client.get("/resources/").content.decode()
    assert "New title" in body and "Old title" not in body
    assert "CV1 Murmurs" in body and "CV2 Valves" in body
    assert "· Heart sounds," in body


def test_attendee_resources_follow_the_members_own_booking(client):
    session = TeachingSessionFactory(capacity=5)
    ResourceFactory(title="Attendee slides", session=session, visibility=V.ATTENDEES)
    ResourceFactory(title="Tutor notes", visibility=V.STAFF)
    ann, bob = UserFactory(), UserFactory()
    client.force_login(ann)
    assert "Attendee slides" not in client.get("/resources/").content.decode()
    booking.book(ann, session)
    body = client.get("/resources/").content.decode()
    assert "Attendee slides" in body and "Tutor notes" not in body
    client.force_login(bob)
    assert "Attendee slides" not in client.get("/resources/").content.decode()
    client.force_login(TutorFactory())
    assert "Tutor notes" in client.get("/resources/").content.decode()


def test_pages_of_the_list_hold_every_resource_once(client):
    titles = [r.title for r in ResourceFactory.create_batch(25)]
    client.force_login(UserFactory())
    first = client.get("/resources/").content.decode()
    second = client.get("/resources/?page=2").content.decode()
    assert "25 resources." in first and "Page 1 of 2" in first and "Page 2 of 2" in second
    shown = [t for t in titles if f">{t}<" in first] + [t for t in titles if f">{t}<" in second]
    assert len(shown) == 25 and len(set(shown)) == 25
    assert "Page 2 of 2" in client.get("/resources/?page=99").content.decode()
