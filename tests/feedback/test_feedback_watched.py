"""Leak 6: "watched the recording" needs playback the server saw, not a page opened.

An in-app recording counts once MEDED_RECORDING_WATCHED_SHARE of its bytes has been streamed to
the member by the player (Range requests through the file view); a recording hosted elsewhere
can't be observed and never makes anyone eligible.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.signals import request_finished
from django.urls import reverse

from feedback.selectors import eligibility
from sessions_app.models import RecordingPlayback, Resource
from tests.factories.core import TutorFactory, UserFactory
from tests.factories.feedback import past_session
from tests.factories.resources import ResourceFactory

pytestmark = pytest.mark.django_db

SIZE = 200_000  # bigger than a streamed chunk (64 KiB)


@pytest.fixture
def recorded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDED_RECORDING_WATCHED_SHARE = 0.5
    session, _ = past_session(days_ago=2)
    recording = ResourceFactory(
        kind=Resource.Kind.RECORDING,
        session=session,
        with_file=bytes(range(256)) * (SIZE // 256) + b"x" * (SIZE % 256),
        published_at=session.ends_at,
    )
    return session, recording


def _stream(client, recording, first: int, last: int) -> int:
    url = reverse("sessions_app:resource_download", args=[recording.pk]) + "?inline=1"
    response = client.get(url, HTTP_RANGE=f"bytes={first}-{last}")
    assert response.status_code == 206
    return len(b"".join(response.streaming_content))


def test_opening_the_page_is_not_watching(client, recorded):
    session, recording = recorded
    rival = TutorFactory()
    client.force_login(rival)
    assert (
        client.get(reverse("sessions_app:resource_detail", args=[recording.pk])).status_code == 200
    )
    assert not eligibility.check(rival, session).allowed
    assert client.get(reverse("feedback:answer", args=[session.pk])).context["reason"]


def test_streaming_half_the_recording_is_watching(client, recorded):
    session, recording = recorded
    viewer = UserFactory()
    client.force_login(viewer)
    assert _stream(client, recording, 0, 39_999) == 40_000
    assert _stream(client, recording, 20_000, 59_999) == 40_000  # overlaps count once
    assert not eligibility.check(viewer, session).allowed  # 30% so far
    assert _stream(client, recording, 60_000, 99_999) == 40_000
    assert eligibility.check(viewer, session).modes == ["recording"]
    assert RecordingPlayback.objects.get(user=viewer).spans == [[0, 100_000]]


def test_a_download_or_an_abandoned_stream_is_not_watching(client, recorded):
    session, recording = recorded
    viewer = UserFactory()
    client.force_login(viewer)
    response = client.get(reverse("sessions_app:resource_download", args=[recording.pk]))
    b"".join(response.streaming_content)
    url = reverse("sessions_app:resource_download", args=[recording.pk]) + "?inline=1"
    started = client.get(url, HTTP_RANGE="bytes=0-")
    stream = iter(started.streaming_content)
    next(stream), next(stream)  # the player reads two chunks (64%), then stops
    # the player goes away. request_finished is held back, as the test client does, so it
    # cannot close the test's database connection (PostgreSQL runs the test in a transaction)
    with mock.patch.object(request_finished, "send"):
        started.close()
    assert not eligibility.check(viewer, session).allowed


def test_a_recording_hosted_elsewhere_makes_nobody_eligible(client):
    session, _ = past_session(days_ago=2)
    external = ResourceFactory(
        kind=Resource.Kind.RECORDING,
        session=session,
        external_url="https://video.example.org/x",
        published_at=session.ends_at - timedelta(minutes=1),
    )
    viewer = UserFactory()
    client.force_login(viewer)
    client.get(reverse("sessions_app:resource_detail", args=[external.pk]))
    assert not eligibility.check(viewer, session).allowed
    assert eligibility.recording_viewers(session) == []
