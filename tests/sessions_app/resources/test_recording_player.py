"""Recordings play in the page: speeds, resume, chapters that jump the player, captions."""

import pytest
from django.urls import reverse

from sessions_app.resources.chapters import Chapter, parse_chapters
from sessions_app.resources.models import Resource
from sessions_app.resources.services import update_details
from tests.factories.core import CommitteeFactory

pytestmark = pytest.mark.django_db


def test_chapters_parse_in_order_with_hours():
    assert parse_chapters("0:00 Introduction\n\n4:30 - Murmurs\n1:02:03 Questions") == [
        Chapter(0, "Introduction"),
        Chapter(270, "Murmurs"),
        Chapter(3723, "Questions"),
    ]
    assert Chapter(3723, "x").label == "1:02:03" and Chapter(270, "x").label == "4:30"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Introduction", "Line 1: write a time then a title"),
        ("0:00 A\n0:75 B", "Line 2: 0:75 is not a time"),
        ("5:00 A\n4:00 B", "Line 2: chapters go in time order"),
    ],
)
def test_bad_chapter_lines_are_named(text, problem):
    with pytest.raises(ValueError, match=problem):
        parse_chapters(text)


def test_the_recording_page_has_the_player_tools_and_chapters(client, demo_society):
    recording = (
        Resource.objects.filter(kind="recording", versions__isnull=False)
        .exclude(chapters="")
        .exclude(captions="")
        .first()
    )
    assert recording is not None
    assert Resource.objects.filter(kind="recording", versions__isnull=False).count() >= 4
    client.force_login(CommitteeFactory())
    body = client.get(reverse("sessions_app:resource_detail", args=[recording.pk])).content.decode()
    assert '<track kind="captions"' in body
    assert 'id="playback-speed"' in body
    for rate in ("0.75", "1.25", "1.5", "2"):
        assert f'<option value="{rate}"' in body
    chapter = parse_chapters(recording.chapters)[-1]  # the demo's own chapters, as given
    assert f'data-seek="{chapter.seconds}"' in body and chapter.title in body
    # without JavaScript a chapter opens the video at its time
    assert f"#t={chapter.seconds}" in body
    assert f'data-resume-key="meded:resume:{recording.pk}"' in body
    assert "js/recording-player.js" in body


def test_a_tutor_saves_chapters_on_the_edit_page_and_bad_ones_are_refused(client, demo_society):
    recording = Resource.objects.filter(kind="recording").first()
    chair = CommitteeFactory()
    client.force_login(chair)
    url = reverse("sessions_app:resource_edit", args=[recording.pk])
    data = {
        "title": recording.title,
        "visibility": recording.visibility,
        "chapters": "0:00 Intro\nbad line",
    }
    response = client.post(url, data)
    assert (
        response.status_code == 200
        and "Line 2: write a time then a title" in response.content.decode()
    )
    recording.refresh_from_db()
    assert "bad line" not in recording.chapters
    data["chapters"] = "0:00 Intro\n0:30 Signs"
    client.post(url, data)
    recording.refresh_from_db()
    assert recording.chapters == "0:00 Intro\n0:30 Signs"


def test_the_service_refuses_bad_chapters_too(demo_society):
    recording = Resource.objects.filter(kind="recording").first()
    with pytest.raises(Exception, match="Line 1"):
        update_details(CommitteeFactory(), recording, title=recording.title, chapters="oops")
