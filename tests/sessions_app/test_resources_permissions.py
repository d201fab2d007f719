"""Who may open a resource: every visibility and release rule, for every kind of member.

The same matrix is checked three ways: the rule (can_view), the library query
(visible_resources) and the download view itself.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from sessions_app.models import Booking, Resource
from sessions_app.selectors_resources import visible_resources
from sessions_app.services.resources import can_view
from tests.factories.core import PASSWORD, CommitteeFactory, TutorFactory, UserFactory
from tests.factories.resources import ResourceFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

ROLES = ["anonymous", "student", "booked", "other_tutor", "session_tutor", "committee"]
V = Resource.Visibility
S = Resource.Status

# (visibility, status, released) -> who may open it, in ROLES order
MATRIX = [
    (V.MEMBERS, S.PUBLISHED, True, [0, 1, 1, 1, 1, 1]),
    (V.MEMBERS, S.PUBLISHED, False, [0, 0, 0, 0, 1, 1]),
    (V.ATTENDEES, S.PUBLISHED, True, [0, 0, 1, 0, 1, 1]),
    (V.ATTENDEES, S.PUBLISHED, False, [0, 0, 0, 0, 1, 1]),
    (V.STAFF, S.PUBLISHED, True, [0, 0, 0, 1, 1, 1]),
    (V.STAFF, S.PUBLISHED, False, [0, 0, 0, 0, 1, 1]),
    (V.MEMBERS, S.AWAITING_REVIEW, True, [0, 0, 0, 0, 1, 1]),
    (V.ATTENDEES, S.AWAITING_REVIEW, True, [0, 0, 0, 0, 1, 1]),
    (V.MEMBERS, S.DRAFT, True, [0, 0, 0, 0, 1, 1]),
]


@pytest.fixture
def world(db):
    session_tutor = TutorFactory()
    session = TeachingSessionFactory(tutors=[session_tutor])
    TeachingSessionFactory(tutors=[other_tutor := TutorFactory()])
    booked = UserFactory()
    BookingFactory(session=session, student=booked)
    # A cancelled booking gives no access.
    student = UserFactory()
    BookingFactory(session=session, student=student, status=Booking.Status.CANCELLED)
    return session, {
        "anonymous": AnonymousUser(),
        "student": student,
        "booked": booked,
        "other_tutor": other_tutor,
        "session_tutor": session_tutor,
        "committee": CommitteeFactory(),
    }


def _resource(session, visibility, status, released):
    now = timezone.now()
    return ResourceFactory(
        session=session,
        kind=Resource.Kind.SLIDES,
        visibility=visibility,
        status=status,
        release_at=now - timedelta(minutes=1) if released else now + timedelta(hours=2),
        uploaded_by=CommitteeFactory(),
        with_file=True,
    )


@pytest.mark.parametrize(("visibility", "status", "released", "expected"), MATRIX)
def test_rule_and_library_query_agree_with_the_matrix(
    world, visibility, status, released, expected
):
    session, users = world
    resource = _resource(session, visibility, status, released)
    for role, allowed in zip(ROLES, expected, strict=True):
        user = users[role]
        assert can_view(user, resource) is bool(allowed), role
        in_query = visible_resources(user).filter(pk=resource.pk).exists()
        assert in_query is bool(allowed), role


@pytest.mark.parametrize(("visibility", "status", "released", "expected"), MATRIX)
def test_download_view_enforces_the_matrix(client, world, visibility, status, released, expected):
    session, users = world
    resource = _resource(session, visibility, status, released)
    url = f"/resources/{resource.pk}/download/"
    for role, allowed in zip(ROLES, expected, strict=True):
        client.logout()
        if role != "anonymous":
            client.login(email=users[role].email, password=PASSWORD)
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == (200 if allowed else 403), role


def test_release_time_opens_slides_at_the_session_start(world):
    session, users = world
    resource = _resource(session, V.ATTENDEES, S.PUBLISHED, released=True)
    resource.release_at = session.starts_at
    resource.save()
    before = session.starts_at - timedelta(seconds=1)
    assert not can_view(users["booked"], resource, now=before)
    assert not visible_resources(users["booked"], now=before).exists()
    assert can_view(users["booked"], resource, now=session.starts_at)
    assert visible_resources(users["booked"], now=session.starts_at).filter(pk=resource.pk).exists()


def test_uploader_sees_their_own_general_resource_before_review(db):
    author = TutorFactory()
    resource = ResourceFactory(uploaded_by=author, status=S.AWAITING_REVIEW)
    assert can_view(author, resource)
    assert not can_view(TutorFactory(), resource)
