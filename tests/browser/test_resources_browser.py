"""A tutor uploads slides, the committee publishes them, a booked student downloads them."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from sessions_app.models import Resource
from sessions_app.resources import sample_files
from tests.browser.conftest import assert_accessible, assert_fits_320, login
from tests.factories.core import CommitteeFactory, TopicFactory, TutorFactory, UserFactory
from tests.factories.resources import ResourceFactory, ResourceVersionFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_tutor_uploads_committee_publishes_booked_student_downloads(page, tmp_path):
    tutor, committee, student = TutorFactory(), CommitteeFactory(), UserFactory()
    start = timezone.now() + timedelta(hours=2)  # slides open to booked students at the start
    session = TeachingSessionFactory(
        title="Heart sounds",
        tutors=[tutor],
        topic=TopicFactory(),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    BookingFactory(session=session, student=student)
    deck = tmp_path / "Heart sounds.pdf"
    deck.write_bytes(sample_files.pdf_bytes("Heart sounds"))

    login(page, tutor.email)
    page.goto(f"/sessions/{session.pk}/resources/upload/")
    assert page.locator(".resource-dropzone").count() == 1  # the enhancement is active
    assert_accessible(page)
    page.locator("#id_title").fill("Heart sounds slides")
    page.locator("#id_file").set_input_files(str(deck))
    assert "Selected: Heart sounds.pdf" in page.locator(".resource-dropzone").inner_text()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Heart sounds slides"
    assert "Awaiting review" in page.content()
    assert_accessible(page)

    page.context.clear_cookies()
    login(page, committee.email)
    page.goto("/committee/resources/")
    assert_accessible(page)
    page.get_by_role("button", name="Publish Heart sounds slides").first.click()
    page.wait_for_load_state()
    assert "is published" in page.content()
    assert Resource.objects.get().status == Resource.Status.PUBLISHED

    page.context.clear_cookies()
    login(page, student.email)
    slides = Resource.objects.get()
    page.goto("/resources/")
    assert page.get_by_role("link", name="Heart sounds slides").count() == 0  # not yet released
    assert page.request.get(f"/resources/{slides.pk}/download/").status == 403

    # The session starts: the server's clock moves past the release time.
    with time_machine.travel(start + timedelta(minutes=1), tick=True):
        page.goto("/resources/")
        assert_accessible(page)
        page.get_by_role("link", name="Heart sounds slides").click()
        page.wait_for_load_state()
        assert_accessible(page)
        with page.expect_download() as info:
            page.get_by_role("link", name="Download Heart-sounds.pdf").click()
        download = info.value
    assert download.suggested_filename == "Heart-sounds.pdf"
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"


def test_recording_page_with_captions_and_slides_is_accessible_and_reflows(phone_page):
    student = UserFactory()
    session = TeachingSessionFactory(title="Renal physiology")
    recording = ResourceFactory(
        session=session, kind="recording", title="Renal recording", duration=timedelta(minutes=50)
    )
    ResourceVersionFactory(
        resource=recording,
        content=sample_files.demo_recording(),
        filename="renal.mp4",
        content_type="video/mp4",
    )
    from django.core.files.base import ContentFile

    recording.captions.save("c.vtt", ContentFile(sample_files.vtt_bytes()))
    ResourceFactory(session=session, kind="slides", title="Renal slides", with_file=True)
    login(phone_page, student.email)
    phone_page.goto(f"/resources/{recording.pk}/")
    assert phone_page.locator("video track[kind=captions]").count() == 1
    # The browser plays the recording through the permission-checked, range-serving view.
    duration = phone_page.evaluate(
        """async () => { const v = document.querySelector('video');
        if (v.readyState < 1) await new Promise(r => { v.onloadedmetadata = r; v.load(); });
        return v.duration; }"""
    )
    assert 3 < duration < 5
    assert phone_page.get_by_role("heading", name="Slides").is_visible()
    assert_accessible(phone_page)
    assert_fits_320(phone_page)
    phone_page.goto("/resources/")
    assert "50 min" in phone_page.content() and "captions" in phone_page.content()
    assert_accessible(phone_page)
    assert_fits_320(phone_page)


def test_upload_and_review_pages_reflow_at_320px(phone_page):
    tutor, committee = TutorFactory(), CommitteeFactory()
    session = TeachingSessionFactory(tutors=[tutor])
    ResourceFactory(session=session, kind="slides", status="awaiting_review", with_file=True)
    login(phone_page, tutor.email)
    phone_page.goto(f"/sessions/{session.pk}/resources/upload/")
    assert_accessible(phone_page)
    assert_fits_320(phone_page)
    phone_page.context.clear_cookies()
    login(phone_page, committee.email)
    phone_page.goto("/committee/resources/")
    assert_accessible(phone_page)
    assert_fits_320(phone_page)
    phone_page.goto(f"/resources/{Resource.objects.get().pk}/edit/")
    assert_accessible(phone_page)
    assert_fits_320(phone_page)
    # A refused new version: the message sits by the file input and the page stays accessible.
    phone_page.goto(f"/resources/{Resource.objects.get().pk}/")
    phone_page.locator("#id_file").set_input_files(
        files=[{"name": "v2.pdf", "mimeType": "application/pdf", "buffer": sample_files.PNG_1PX}]
    )
    phone_page.get_by_role("button", name="Upload new version").click()
    phone_page.wait_for_load_state()
    assert "its content is of type “PNG image”" in phone_page.locator("#id_file_error").inner_text()
    assert_accessible(phone_page)
    assert_fits_320(phone_page)
