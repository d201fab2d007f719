"""The demo's in-page recordings: a 90-second lecture with sound, captions that follow its
slides, and chapters the player accepts; small enough to keep in the repository."""

from datetime import timedelta
from itertools import pairwise
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sessions_app.models import Resource
from sessions_app.resources import sample_files
from sessions_app.resources.chapters import parse_chapters
from sessions_app.resources.demo import seed_resources
from sessions_app.resources.demo_data import lecture
from sessions_app.resources.uploads import check_upload
from tests.factories.core import CommitteeFactory, TopicFactory, TutorFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory


def test_the_lecture_is_a_small_mp4_with_sound_and_its_timings_agree():
    data = sample_files.DEMO_LECTURE.read_bytes()
    assert 100_000 < len(data) < 600_000  # a few hundred KB, committed
    assert data[4:8] == b"ftyp" and b"avc1" in data and b"mp4a" in data  # H.264 + AAC
    checked = check_upload(SimpleUploadedFile("lecture.mp4", data), "recording")
    assert checked.file_type.content_type == "video/mp4"
    chapters = parse_chapters(lecture.chapters())
    assert [c.seconds for c in chapters] == [s[0] for s in lecture.SLIDES]
    assert chapters[-1].seconds < lecture.DURATION_SECONDS
    vtt = lecture.captions_vtt("Acid-base balance").decode()
    assert vtt.startswith("WEBVTT") and "Welcome to Acid-base balance." in vtt
    cues = [s for slide in lecture.SLIDES for s in slide[3]]
    assert all(start < end <= lecture.DURATION_SECONDS for start, end, _ in cues)
    assert all(a[1] <= b[0] for a, b in pairwise(cues))  # no overlap


def test_the_demo_has_several_in_page_lectures_with_captions_and_chapters(db):
    tutor = TutorFactory()
    TopicFactory.create_batch(3)
    for days in range(3, 9):
        start = timezone.now() - timedelta(days=days)
        session = TeachingSessionFactory(
            tutors=[tutor], starts_at=start, ends_at=start + timedelta(hours=1)
        )
        BookingFactory.create_batch(2, session=session)
    seed_resources(SimpleNamespace(chair=CommitteeFactory(), tutor=tutor))
    in_page = [
        r
        for r in Resource.objects.filter(kind="recording", external_url="")
        if r.current_version() is not None
    ]
    assert len(in_page) >= 3
    for recording in in_page:
        assert recording.has_captions and recording.duration == timedelta(seconds=90)
        assert [c.title for c in recording.chapter_list][:2] == [
            "Welcome and objectives",
            "Key facts",
        ]
        assert recording.current_version().size == len(sample_files.demo_lecture())
