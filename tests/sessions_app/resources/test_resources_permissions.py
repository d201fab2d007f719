"""Who may open a resource: every visibility and release rule, for every kind of member.

The same matrix is checked three ways: the rule (can_view), the library query
(visible_resources) and the download view itself.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from sessions_app.models import Booking, Resource
from sessions_app.resources import sample_files
from sessions_app.resources.selectors import visible_resources
from sessions_app.resources.services import can_view, create_resource, publish
from tests.factories.core import PASSWORD, CommitteeFactory, TutorFactory, UserFactory
from tests.factories.resources import ResourceFactory, ResourceVersionFactory, pdf_upload, upload
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

LONDON = ZoneInfo("Europe/London")
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


def _resource(session, visibility, status, released, kind=Resource.Kind.SLIDES):
    now = timezone.now()
    return ResourceFactory(
        session=session,
        kind=kind,
        visibility=visibility,
        status=status,
        release_at=now - timedelta(minutes=1) if released else now + timedelta(hours=2),
        uploaded_by=CommitteeFactory(),
        with_file=True,
    )


@pytest.mark.parametrize(("visibility", "status", "released", "expected"), MATRIX)
def test_rule_library_query_and_session_page_agree_with_the_matrix(
    world, visibility, status, released, expected
):
    session, users = world
    resource = _resource(session, visibility, status, released)
    for role, allowed in zip(ROLES, expected, strict=True):
        user = users[role]
        assert can_view(user, resource) is bool(allowed), role
        in_query = visible_resources(user).filter(pk=resource.pk).exists()
        assert in_query is bool(allowed), role
        request = RequestFactory().get("/")
        request.user = user
        session_page = render_to_string(
            "sessions_app/_session_resources.html", {"session": session}, request=request
        )
        assert (resource.title in session_page) is bool(allowed), role


def _assert_status_per_role(client, users, url, expected):
    for role, allowed in zip(ROLES, expected, strict=True):
        client.logout()
        if role != "anonymous":
            client.login(email=users[role].email, password=PASSWORD)
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == (200 if allowed else 403), (role, url)


@pytest.mark.parametrize("page", ["", "download/", "download/?inline=1"])
@pytest.mark.parametrize(("visibility", "status", "released", "expected"), MATRIX)
def test_resource_page_and_file_views_enforce_the_matrix(
    client, world, visibility, status, released, expected, page
):
    session, users = world
    resource = _resource(session, visibility, status, released)
    _assert_status_per_role(client, users, f"/resources/{resource.pk}/{page}", expected)


@pytest.mark.parametrize(("visibility", "status", "released", "expected"), MATRIX)
def test_recording_captions_follow_the_recordings_matrix(
    client, world, visibility, status, released, expected
):
    session, users = world
    recording = _resource(session, visibility, status, released, kind=Resource.Kind.RECORDING)
    recording.captions.save("subs.vtt", ContentFile(sample_files.vtt_bytes()))
    _assert_status_per_role(client, users, f"/resources/{recording.pk}/captions.vtt", expected)


# Earlier versions: the session's tutors and the committee only, whatever the visibility.
VERSIONS = [0, 0, 0, 0, 1, 1]


@pytest.mark.parametrize("visibility", list(V))
def test_earlier_versions_are_for_the_sessions_tutors_and_the_committee(client, world, visibility):
    session, users = world
    resource = _resource(session, visibility, S.PUBLISHED, released=True)
    old = ResourceVersionFactory(
        resource=resource, uploaded_at=timezone.now() - timedelta(days=1), filename="v1.pdf"
    )
    _assert_status_per_role(
        client, users, f"/resources/{resource.pk}/versions/{old.pk}/download/", VERSIONS
    )
    page_for = {}
    for role in ("booked", "session_tutor", "committee"):
        client.force_login(users[role])
        page_for[role] = client.get(f"/resources/{resource.pk}/").content.decode()
    if visibility != V.STAFF:
        assert "Version history" not in page_for["booked"]
    assert "v1.pdf" in page_for["session_tutor"] and "v1.pdf" in page_for["committee"]


def test_a_recording_opens_to_booked_students_once_the_session_has_ended(client, world):
    """The default release rule for a recording, at the exact second the session ends."""
    session, users = world
    recording = create_resource(
        users["session_tutor"],
        kind=Resource.Kind.RECORDING,
        title="Week 3 cardiology recording",
        session=session,
        upload=upload("r.mp4", sample_files.mp4_bytes(), "video/mp4"),
        visibility=V.ATTENDEES,
    )
    publish(users["committee"], recording)
    recording.refresh_from_db()
    assert recording.release_at == session.ends_at
    client.force_login(users["booked"])
    url = f"/resources/{recording.pk}/download/"
    with time_machine.travel(session.ends_at - timedelta(seconds=1), tick=False):
        assert client.get(url).status_code == 403
        assert recording.title not in client.get("/resources/").content.decode()
    with time_machine.travel(session.ends_at, tick=False):
        assert client.get(url).status_code == 200
        assert recording.title in client.get("/resources/").content.decode()
    client.force_login(users["student"])
    with time_machine.travel(session.ends_at + timedelta(days=1), tick=False):
        assert client.get(url).status_code == 403


def test_slides_open_to_booked_students_at_the_start_on_both_sides_of_the_clock_change(db):
    """Release times are instants: 09:00 London in BST (08:00 UTC) and in GMT (09:00 UTC)."""
    tutor, committee, booked = TutorFactory(), CommitteeFactory(), UserFactory()
    for day in (datetime(2026, 10, 23, 9, 0), datetime(2026, 10, 30, 9, 0)):
        start = day.replace(tzinfo=LONDON)
        session = TeachingSessionFactory(
            tutors=[tutor], starts_at=start, ends_at=start + timedelta(hours=1)
        )
        BookingFactory(session=session, student=booked)
        slides = create_resource(
            tutor,
            kind=Resource.Kind.SLIDES,
            title=f"Slides {day:%d %b}",
            session=session,
            upload=pdf_upload(),
        )
        publish(committee, slides)
        slides.refresh_from_db()
        assert slides.visibility == V.ATTENDEES and slides.release_at == start
        assert not can_view(booked, slides, now=start - timedelta(seconds=1))
        assert can_view(booked, slides, now=start)
    bst, gmt = Resource.objects.order_by("release_at").values_list("release_at", flat=True)
    assert (bst.astimezone(UTC).hour, gmt.astimezone(UTC).hour) == (8, 9)


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
