"""Review cannot be bypassed by editing: a tutor's change to a published resource's file, title,
description, captions or chapters goes back to the committee when review is required (by the
setting or the session's round), and stays published when it is not or the committee edits."""

from __future__ import annotations

import pytest

from sessions_app.models import Resource
from sessions_app.resources import sample_files, services
from tests.factories.core import CommitteeFactory, TopicFactory, TutorFactory
from tests.factories.resources import ResourceFactory, pdf_upload, upload
from tests.factories.sessions import TeachingSessionFactory

pytestmark = pytest.mark.django_db
S = Resource.Status


def _details(resource, **change) -> dict:
    values = {
        "title": resource.title,
        "description": resource.description,
        "visibility": resource.visibility,
        "release_at": resource.release_at,
        "duration": resource.duration,
        "topics": list(resource.topics.all()),
        "chapters": resource.chapters if resource.kind == Resource.Kind.RECORDING else None,
    }
    return {**values, **change}


def _edit_title(actor, resource):
    services.update_details(actor, resource, **_details(resource, title="Week 1 (corrected)"))


def _edit_description(actor, resource):
    services.update_details(
        actor, resource, **_details(resource, description="Now with the answers.")
    )


def _edit_chapters(actor, resource):
    services.update_details(actor, resource, **_details(resource, chapters="0:00 Start"))


def _new_file(actor, resource):
    if resource.kind == Resource.Kind.RECORDING:
        new = upload("talk.mp4", sample_files.mp4_bytes(5), "video/mp4")
    else:
        new = pdf_upload(title="Version 2")
    services.add_version(actor, resource, new)


def _new_captions(actor, resource):
    services.set_captions(actor, resource, upload("c.vtt", sample_files.vtt_bytes(), "text/vtt"))


CHANGES = {
    "file": _new_file,
    "title": _edit_title,
    "description": _edit_description,
    "captions": _new_captions,
    "chapters": _edit_chapters,
}


@pytest.fixture
def published(settings):
    """A tutor's published recording on their session, with review required by the setting."""
    settings.MEDED_RESOURCES_REVIEW_REQUIRED = True
    tutor = TutorFactory()
    session = TeachingSessionFactory(tutors=[tutor], topic=TopicFactory())
    resource = ResourceFactory(
        session=session,
        uploaded_by=tutor,
        kind=Resource.Kind.RECORDING,
        title="Week 1",
        description="Cardiology recap.",
    )
    services.add_version(CommitteeFactory(), resource, _recording())
    resource.refresh_from_db()
    assert resource.status == S.PUBLISHED
    return resource, tutor


def _recording():
    return upload("week1.mp4", sample_files.mp4_bytes(5), "video/mp4")


@pytest.mark.parametrize("field", list(CHANGES))
def test_a_tutors_change_sends_a_published_resource_back_to_review(published, field):
    resource, tutor = published
    CHANGES[field](tutor, resource)
    resource.refresh_from_db()
    assert resource.status == S.AWAITING_REVIEW, field
    assert resource.published_at is None and resource.published_by is None


@pytest.mark.parametrize("field", list(CHANGES))
def test_the_committees_change_stays_published(published, field):
    resource, _ = published
    CHANGES[field](CommitteeFactory(), resource)
    resource.refresh_from_db()
    assert resource.status == S.PUBLISHED, field


@pytest.mark.parametrize("field", list(CHANGES))
def test_without_review_required_a_tutors_change_stays_published(published, settings, field):
    settings.MEDED_RESOURCES_REVIEW_REQUIRED = False
    resource, tutor = published
    CHANGES[field](tutor, resource)
    resource.refresh_from_db()
    assert resource.status == S.PUBLISHED, field


@pytest.mark.parametrize("field", list(CHANGES))
def test_the_sessions_round_decides_over_the_setting(published, settings, monkeypatch, field):
    """A round that requires review wins over a setting that does not (the round is the one
    whose published allocation gave the tutor this session's topic)."""
    settings.MEDED_RESOURCES_REVIEW_REQUIRED = False
    resource, tutor = published
    strict = type("Round", (), {"review_required_for_resources": True})()
    monkeypatch.setattr(services, "session_round", lambda session: strict)
    CHANGES[field](tutor, resource)
    resource.refresh_from_db()
    assert resource.status == S.AWAITING_REVIEW


def test_saving_the_same_details_keeps_it_published(published):
    resource, tutor = published
    services.update_details(tutor, resource, **_details(resource))
    resource.refresh_from_db()
    assert resource.status == S.PUBLISHED


def test_a_handouts_new_file_goes_back_to_review_through_the_page(client, settings):
    settings.MEDED_RESOURCES_REVIEW_REQUIRED = True
    tutor = TutorFactory()
    session = TeachingSessionFactory(tutors=[tutor])
    resource = ResourceFactory(session=session, uploaded_by=tutor, with_file=True)
    client.force_login(tutor)
    client.post(f"/resources/{resource.pk}/versions/", {"file": pdf_upload()})
    resource.refresh_from_db()
    assert resource.status == S.AWAITING_REVIEW
