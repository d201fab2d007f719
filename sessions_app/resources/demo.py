"""Demo resources of every kind: a `seed_demo` receiver, connected after the sessions demo.

Slides and recordings for past sessions (with views, so "watched the recording" feedback has
data), slides awaiting review for upcoming ones, and general guides, question banks, a handout,
a link and a staff-only handbook. Files are generated in memory (reportlab PDFs, a tiny MP4,
WebVTT captions). Idempotent: skipped when the marker guide exists.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from meded.models import Topic, User
from sessions_app.booking.models import Booking
from sessions_app.resources import audience, sample_files
from sessions_app.resources.demo_data import lecture
from sessions_app.resources.models import Resource, ResourceAccess, ResourceVersion
from sessions_app.scheduling.models import TeachingSession

MARKER_TITLE = "OSCE guide: history taking and examination"
Kind = Resource.Kind
Status = Resource.Status
Visibility = Resource.Visibility


def _add(
    *,
    kind: str,
    title: str,
    author: User,
    when: datetime,
    content: bytes | None = None,
    filename: str = "",
    content_type: str = "application/pdf",
    session: TeachingSession | None = None,
    topics: list[Topic] | None = None,
    status: str = Status.PUBLISHED,
    visibility: str = Visibility.MEMBERS,
    release_at: datetime | None = None,
    external_url: str = "",
    description: str = "",
    duration: timedelta | None = None,
    captions: bytes | None = None,
    publisher: User | None = None,
) -> Resource:
    resource = Resource(
        kind=kind,
        title=title,
        description=description,
        session=session,
        external_url=external_url,
        uploaded_by=author,
        status=status,
        visibility=visibility,
        release_at=release_at,
        duration=duration,
        published_at=when if status == Status.PUBLISHED else None,
        published_by=publisher if status == Status.PUBLISHED else None,
    )
    if captions:
        resource.captions.save("captions.vtt", ContentFile(captions), save=False)
    resource.save()
    Resource.objects.filter(pk=resource.pk).update(created=when)
    resource.topics.set(topics or ([session.topic] if session and session.topic_id else []))
    if content is not None:
        version = ResourceVersion(
            resource=resource,
            filename=filename,
            size=len(content),
            content_type=content_type,
            uploaded_by=author,
            uploaded_at=when,
        )
        version.file.save(filename, ContentFile(content), save=True)
    return resource


def _demo_captions(title: str) -> bytes:
    """Opening captions for an external (linked) recording."""
    cues = [
        ("00:00:00.000", "00:00:02.000", f"Welcome to {title}."),
        ("00:00:02.000", "00:00:04.000", "First, the key facts you need for the exam."),
    ]
    lines = ["WEBVTT", ""]
    for start, end, text in cues:
        lines += [f"{start} --> {end}", text, ""]
    return "\n".join(lines).encode()


def _session_resources(rng: random.Random, anchor: datetime, chair: User) -> None:
    sessions = list(
        TeachingSession.objects.filter(status=TeachingSession.Status.PUBLISHED)
        .select_related("topic")
        .prefetch_related("tutors")
        .order_by("starts_at", "pk")
    )
    past = [s for s in sessions if s.ends_at <= anchor][-12:]
    upcoming = [s for s in sessions if s.starts_at > anchor][:10]
    for i, session in enumerate(past):
        tutors = list(session.tutors.all()) or [chair]
        author = tutors[0]
        slides = sample_files.pdf_bytes(session.title, ["Objectives", "Key facts", "Cases"])
        _add(
            kind=Kind.SLIDES,
            title=f"Slides: {session.title}",
            author=author,
            when=session.starts_at - timedelta(days=2),
            content=slides,
            filename="slides.pdf",
            session=session,
            visibility=Visibility.ATTENDEES,
            release_at=session.starts_at,
            publisher=chair,
        )
        minutes = rng.choice([45, 50, 55, 60])
        with_file = i < 5 or i >= len(past) - 3  # play in the page; recent ones watched
        recording = _add(
            kind=Kind.RECORDING,
            title=f"Recording: {session.title}",
            author=author,
            when=session.ends_at + timedelta(hours=3),
            content=sample_files.demo_lecture() if with_file else None,
            filename="recording.mp4",
            content_type="video/mp4",
            session=session,
            release_at=session.ends_at,
            external_url="" if with_file else f"https://video.example.org/meded/{session.pk}",
            duration=(
                timedelta(seconds=lecture.DURATION_SECONDS)
                if with_file
                else timedelta(minutes=minutes)
            ),
            captions=(
                lecture.captions_vtt(session.title)
                if with_file
                else _demo_captions(session.title)
                if i % 2 == 0
                else None
            ),
            publisher=chair,
        )
        if with_file:  # as a tutor would add them on the edit page
            Resource.objects.filter(pk=recording.pk).update(chapters=lecture.chapters())
        attendees = list(
            Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED)
            .select_related("student")
            .order_by("pk")
        )
        viewers = [b.student for b in attendees if rng.random() < 0.4]
        ResourceAccess.objects.bulk_create(
            ResourceAccess(resource=recording, user=u, kind=ResourceAccess.Kind.VIEW)
            for u in viewers
        )
        version = recording.current_version() if with_file else None
        for u in viewers if version else []:  # the player streamed it: they watched
            audience.record_playback(u, recording, 0, version.size, version.size)
    for i, session in enumerate(upcoming):
        if i % 3 == 2:
            continue  # no slides yet: the slides reminder has work to do
        tutors = list(session.tutors.all()) or [chair]
        _add(
            kind=Kind.SLIDES,
            title=f"Slides: {session.title}",
            author=tutors[0],
            when=anchor - timedelta(days=1),
            content=sample_files.pdf_bytes(session.title),
            filename="slides.pdf",
            session=session,
            status=Status.AWAITING_REVIEW if i % 3 == 1 else Status.PUBLISHED,
            visibility=Visibility.ATTENDEES,
            release_at=session.starts_at,
            publisher=chair,
        )


def seed_resources(demo, **signal_kwargs) -> None:
    """A `seed_demo` receiver: the resources part of the demo, once."""
    if Resource.objects.filter(title=MARKER_TITLE).exists():
        return
    rng = random.Random(6006)
    anchor = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    chair = demo.chair
    tutor = demo.tutor or chair
    topics = list(Topic.objects.order_by("code"))
    pick = (lambda n: rng.sample(topics, min(n, len(topics)))) if topics else (lambda n: [])
    _session_resources(rng, anchor, chair)

    week = timedelta(days=7)
    _add(
        kind=Kind.GUIDE,
        title=MARKER_TITLE,
        author=tutor,
        when=anchor - 6 * week,
        content=sample_files.pdf_bytes(
            "OSCE guide", ["History taking", "Cardiovascular exam", "Communication"], pages=4
        ),
        filename="osce-guide.pdf",
        topics=pick(3),
        description="Near-peer guide to the Year 3 OSCE stations, written by last year's tutors.",
        publisher=chair,
    )
    _add(
        kind=Kind.GUIDE,
        title="Clinical placement survival guide",
        author=tutor,
        when=anchor - 5 * week,
        content=sample_files.docx_bytes(),
        filename="placement-guide.docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        topics=pick(2),
        publisher=chair,
    )
    for i, topic in enumerate(pick(4)):
        csv = i % 2 == 0
        _add(
            kind=Kind.QUESTION_BANK,
            title=f"Question bank: {topic.title}",
            author=tutor,
            when=anchor - (4 - i) * week,
            content=sample_files.csv_bytes() if csv else sample_files.xlsx_bytes(),
            filename="questions.csv" if csv else "questions.xlsx",
            content_type="text/csv"
            if csv
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            topics=[topic],
            publisher=chair,
        )
    _add(
        kind=Kind.HANDOUT,
        title="ECG interpretation handout",
        author=tutor,
        when=anchor - 3 * week,
        content=sample_files.PNG_1PX,
        filename="ecg-handout.png",
        content_type="image/png",
        topics=pick(1),
        publisher=chair,
    )
    _add(
        kind=Kind.LINK,
        title="NICE clinical knowledge summaries",
        author=chair,
        when=anchor - 2 * week,
        external_url="https://cks.nice.org.uk/",
        topics=pick(2),
        publisher=chair,
    )
    _add(
        kind=Kind.GUIDE,
        title="Tutor handbook: planning a small-group tutorial",
        author=chair,
        when=anchor - week,
        content=sample_files.pdf_bytes("Tutor handbook", ["Plan", "Deliver", "Reflect"]),
        filename="tutor-handbook.pdf",
        visibility=Visibility.STAFF,
        publisher=chair,
    )
    _add(
        kind=Kind.QUESTION_BANK,
        title="Mock exam questions (draft)",
        author=tutor,
        when=anchor - timedelta(days=2),
        content=sample_files.csv_bytes(),
        filename="mock.csv",
        content_type="text/csv",
        status=Status.AWAITING_REVIEW,
        topics=pick(1),
    )
