"""Upload validation: by content, per kind, with size limits; a refused file stores nothing."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sessions_app.models import Resource, ResourceVersion
from sessions_app.resources import sample_files
from sessions_app.resources.services import ResourceError, add_version, create_resource
from sessions_app.resources.uploads import UploadRefused, check_upload, sanitise_filename
from tests.factories.core import CommitteeFactory, TutorFactory
from tests.factories.resources import ResourceFactory, upload
from tests.factories.sessions import TeachingSessionFactory

ACCEPTED = [
    ("slides", "deck.pdf", sample_files.pdf_bytes("Deck"), "application/pdf"),
    (
        "slides",
        "deck.pptx",
        sample_files.pptx_bytes(),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    (
        "guide",
        "osce guide.docx",
        sample_files.docx_bytes(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("handout", "ecg.png", sample_files.PNG_1PX, "image/png"),
    ("handout", "ecg.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64), "image/jpeg"),
    ("recording", "lecture.mp4", sample_files.mp4_bytes(), "video/mp4"),
    ("question_bank", "bank.csv", sample_files.csv_bytes(), "text/csv"),
    (
        "question_bank",
        "bank.xlsx",
        sample_files.xlsx_bytes(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("captions", "subs.vtt", sample_files.vtt_bytes(), "text/vtt"),
]


@pytest.mark.parametrize(("kind", "name", "content", "content_type"), ACCEPTED)
def test_each_allowed_type_is_recognised_by_its_content(kind, name, content, content_type):
    checked = check_upload(upload(name, content), kind)
    assert checked.file_type.content_type == content_type
    assert checked.size == len(content)


REFUSED = [
    ("slides", "deck.pdf", b"MZ\x90\x00" + bytes(200), "its content is not a type we accept"),
    ("slides", "deck.pdf", sample_files.PNG_1PX, "its content is of type “PNG image”"),
    ("slides", "deck.mp4", sample_files.mp4_bytes(), r"Upload PDF or PowerPoint \(PPTX\)"),
    ("recording", "talk.mp4", sample_files.pdf_bytes("x"), "Upload MP4 video"),
    (
        "handout",
        "notes.pdf",
        sample_files.docx_bytes(),
        "named .pdf but its content is of type “Word",
    ),
    ("question_bank", "bank.csv", b"just one line of words", "not a type we accept"),
    ("question_bank", "bank.csv", b"a,b\n\x00\x01,2\n", "not a type we accept"),
    ("guide", "page.html", b"<html><script>alert(1)</script></html>", "not a type we accept"),
    ("captions", "subs.vtt", b"1\n00:00:01,000 --> 00:00:02,000\nSRT\n", "not a type we accept"),
    ("link", "x.pdf", sample_files.pdf_bytes("x"), "takes a web address"),
    ("slides", "empty.pdf", b"", "is empty"),
]


@pytest.mark.parametrize(("kind", "name", "content", "message"), REFUSED)
def test_each_refused_file_gets_a_clear_reason(kind, name, content, message):
    with pytest.raises(UploadRefused, match=message):
        check_upload(upload(name, content), kind)


def test_size_limits_come_from_settings_per_kind(settings):
    settings.MEDED_MAX_DOCUMENT_BYTES = 1000
    settings.MEDED_MAX_VIDEO_BYTES = 100_000
    with pytest.raises(UploadRefused, match=r"the limit for this kind of file is 1000 bytes"):
        check_upload(upload("big.pdf", sample_files.pdf_bytes("Big")), "slides")
    assert check_upload(upload("v.mp4", sample_files.mp4_bytes(payload_bytes=50_000)), "recording")
    with pytest.raises(UploadRefused, match=r"97.7 KB"):
        check_upload(upload("v.mp4", sample_files.mp4_bytes(payload_bytes=120_000)), "recording")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\me\\Résumé final (2).PDF", "Resume-final-2.pdf"),
        ("<script>.pdf", "script.pdf"),
        (".htaccess", "file.htaccess"),
        ("   .pdf", "file.pdf"),
        ("lecture.tar.gz", "lecture-tar.gz"),
    ],
)
def test_filenames_are_sanitised(name, expected):
    assert sanitise_filename(name) == expected


def test_the_stored_name_takes_the_extension_of_the_content():
    checked = check_upload(upload("Cardio week 1", sample_files.pdf_bytes("C")), "slides")
    assert checked.filename == "Cardio-week-1.pdf"


def _files_on_disk(root) -> list[str]:
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files]


def test_a_refused_upload_leaves_no_file_and_no_rows(db, settings):
    tutor = TutorFactory()
    session = TeachingSessionFactory(tutors=[tutor])
    disguised = upload("slides.pdf", b"MZ\x90\x00 not a pdf at all" + bytes(500))
    with pytest.raises(ResourceError, match=r"slides\.pdf"):
        create_resource(tutor, kind="slides", title="Week 1", session=session, upload=disguised)
    assert Resource.objects.count() == 0
    assert _files_on_disk(settings.MEDIA_ROOT) == []


def test_refused_captions_roll_back_the_stored_video(db, settings):
    tutor = TutorFactory()
    session = TeachingSessionFactory(tutors=[tutor])
    with pytest.raises(ResourceError, match="WebVTT"):
        create_resource(
            tutor,
            kind="recording",
            title="Recording",
            session=session,
            upload=upload("r.mp4", sample_files.mp4_bytes()),
            captions=upload("subs.vtt", b"not captions"),
        )
    assert Resource.objects.count() == 0
    assert _files_on_disk(settings.MEDIA_ROOT) == []


def test_a_refused_new_version_keeps_the_old_one_and_stores_nothing(db, settings):
    committee = CommitteeFactory()
    resource = ResourceFactory(kind="slides", with_file=True)
    before = _files_on_disk(settings.MEDIA_ROOT)
    with pytest.raises(ResourceError):
        add_version(committee, resource, upload("v2.pdf", sample_files.PNG_1PX))
    assert ResourceVersion.objects.filter(resource=resource).count() == 1
    assert _files_on_disk(settings.MEDIA_ROOT) == before


def test_an_accepted_upload_is_stored_privately_under_an_unguessable_name(db, settings):
    tutor = TutorFactory()
    session = TeachingSessionFactory(tutors=[tutor])
    resource = create_resource(
        tutor,
        kind="slides",
        title="Week 1",
        session=session,
        upload=SimpleUploadedFile("../Week 1.pdf", sample_files.pdf_bytes("W1")),
    )
    version = resource.versions.get()
    assert version.filename == "Week-1.pdf"
    assert version.file.name.startswith("resources/") and len(version.file.name) > 40
    assert os.path.exists(os.path.join(settings.MEDIA_ROOT, version.file.name))


def test_macro_enabled_office_files_are_refused_even_when_named_pptx():
    macro_deck = sample_files._ooxml(
        {"ppt/presentation.xml": "<p:presentation/>", "ppt/vbaProject.bin": "Sub AutoOpen()"}
    )
    with pytest.raises(UploadRefused, match="contains macros"):
        check_upload(upload("deck.pptx", macro_deck), "slides")


@pytest.fixture
def tutor_client(client, db):
    """A tutor logged in, and the session they teach."""
    tutor = TutorFactory()
    client.force_login(tutor)
    return client, TeachingSessionFactory(tutors=[tutor])


def test_each_refused_file_gets_its_reason_next_to_its_own_field(tutor_client, settings):
    """A bad recording and bad captions in one upload: two messages, each by its field."""
    client, session = tutor_client
    response = client.post(
        f"/sessions/{session.pk}/resources/upload/",
        {
            "kind": "recording",
            "title": "Recording",
            "file": upload("talk.mp4", sample_files.pdf_bytes("not a video")),
            "captions": upload("subs.vtt", b"1\n00:00:01,000 --> 00:00:02,000\nSRT\n"),
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "Upload MP4 video" in form.errors["file"][0]
    assert "Upload WebVTT captions" in form.errors["captions"][0]
    html = response.content.decode()
    assert "“talk.mp4” was refused" in html and "“subs.vtt” was refused" in html
    assert not Resource.objects.exists()
    assert _files_on_disk(settings.MEDIA_ROOT) == []


def test_a_refused_upload_through_the_page_leaves_the_disk_empty(tutor_client, settings):
    client, session = tutor_client
    response = client.post(
        f"/sessions/{session.pk}/resources/upload/",
        {"kind": "question_bank", "title": "Bank", "file": upload("bank.xlsx", b"PK\x03\x04zz")},
    )
    assert "not a type we accept" in response.context["form"].errors["file"][0]
    assert not Resource.objects.exists()
    assert _files_on_disk(settings.MEDIA_ROOT) == []


def test_a_service_refusal_is_shown_next_to_the_field_it_is_about(tutor_client, monkeypatch):
    """Rules checked only in the service (here: a file that fails on the second look) still
    land next to the right field, not at the top of the form."""
    from sessions_app.resources import forms as forms_resources

    client, session = tutor_client
    monkeypatch.setattr(forms_resources, "_refused_here", lambda *a: None)
    response = client.post(
        f"/sessions/{session.pk}/resources/upload/",
        {"kind": "slides", "title": "S", "file": upload("s.pdf", sample_files.PNG_1PX)},
    )
    form = response.context["form"]
    assert "PNG image" in form.errors["file"][0]
    assert not form.non_field_errors()


def test_a_refused_new_version_is_shown_by_its_field_and_stores_nothing(client, db, settings):
    tutor = TutorFactory()
    session = TeachingSessionFactory(tutors=[tutor])
    resource = ResourceFactory(session=session, kind="slides", uploaded_by=tutor, with_file=True)
    before = _files_on_disk(settings.MEDIA_ROOT)
    client.force_login(tutor)
    response = client.post(
        f"/resources/{resource.pk}/versions/", {"file": upload("v2.pdf", sample_files.PNG_1PX)}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-describedby="id_file_error"' in html
    assert "“v2.pdf” was refused: its content is of type “PNG image”" in html
    assert resource.versions.count() == 1
    assert _files_on_disk(settings.MEDIA_ROOT) == before
    # No file at all: the same place, a plain message.
    response = client.post(f"/resources/{resource.pk}/versions/", {})
    assert "Choose a file to upload." in response.content.decode()


def test_refused_captions_are_shown_by_their_field_and_keep_the_old_ones(client, db, settings):
    committee = CommitteeFactory()
    recording = ResourceFactory(kind="recording", with_file=sample_files.mp4_bytes())
    client.force_login(committee)
    client.post(
        f"/resources/{recording.pk}/captions/",
        {"captions": upload("subs.vtt", sample_files.vtt_bytes(), "text/vtt")},
    )
    recording.refresh_from_db()
    kept = recording.captions.name
    before = _files_on_disk(settings.MEDIA_ROOT)
    response = client.post(
        f"/resources/{recording.pk}/captions/", {"captions": upload("x.vtt", b"no captions")}
    )
    html = response.content.decode()
    assert 'aria-describedby="id_captions_error"' in html and "Upload WebVTT captions" in html
    recording.refresh_from_db()
    assert recording.captions.name == kept
    assert _files_on_disk(settings.MEDIA_ROOT) == before


@pytest.mark.parametrize("address", ["javascript:alert(1)", "data:text/html,hi", "ftp://x.test/a"])
def test_a_link_must_be_a_web_address(db, address):
    with pytest.raises(ResourceError, match="https://") as refused:
        create_resource(CommitteeFactory(), kind="link", title="Link", external_url=address)
    assert refused.value.field == "external_url"
    assert not Resource.objects.exists()
