"""Recordings and resources: who may see them, uploading, new versions, review and publishing.

The permission rules live here once (can_view / can_manage / can_upload_to); the library query
in resources.selectors.visible_resources() expresses the same rules as SQL, and the tests check
both against the same matrix.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from meded.models import Topic, User
from meded.notifications import notify, register_kind
from meded.roles import is_committee, is_tutor
from sessions_app.booking.models import Booking
from sessions_app.errors import ResourceError
from sessions_app.resources.chapters import parse_chapters
from sessions_app.resources.models import (
    Resource,
    ResourceVersion,
)
from sessions_app.resources.selectors import sessions_missing_slides
from sessions_app.resources.uploads import CheckedFile, UploadRefused, check_upload
from sessions_app.scheduling.models import TeachingSession
from tutors.models import RecruitmentRound

Kind = Resource.Kind
Status = Resource.Status
Visibility = Resource.Visibility
# Links students will click: web pages only (never javascript: or data: addresses).
_WEB_ADDRESS = URLValidator(schemes=["https", "http"])

register_kind(
    "resource_slides_reminder",
    "A reminder to upload slides for a session you teach soon.",
    "tutoring",
)


# --- permission rules -----------------------------------------------------------------------


def is_session_tutor(user: User, session: TeachingSession | None) -> bool:
    return session is not None and session.is_taught_by(user)


def is_booked(user: User, session: TeachingSession | None) -> bool:
    if session is None:
        return False
    return Booking.objects.filter(
        session=session, student=user, status=Booking.Status.CONFIRMED
    ).exists()


def can_upload_to(user: User, session: TeachingSession | None) -> bool:
    """Committee anywhere; a tutor for the sessions they teach (or general, session-less items)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_committee(user):
        return True
    if session is None:
        return is_tutor(user)
    return is_session_tutor(user, session)


def can_manage(user: User, resource: Resource) -> bool:
    """Edit, add versions, see drafts and old versions: committee, the uploader, its tutors.

    The uploader and the session's tutors only while they are tutors: a former tutor no longer
    manages what they uploaded (the committee does)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_committee(user):
        return True
    if not is_tutor(user):
        return False
    if resource.uploaded_by_id and resource.uploaded_by_id == user.pk:
        return True
    return is_session_tutor(user, resource.session)


def is_released(resource: Resource, now: datetime | None = None) -> bool:
    return resource.release_at is None or resource.release_at <= (now or timezone.now())


def can_view(user: User, resource: Resource, now: datetime | None = None) -> bool:
    """The one rule for opening a resource (see module docstring)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if can_manage(user, resource):
        return True
    if resource.status != Status.PUBLISHED or not is_released(resource, now):
        return False
    if resource.visibility == Visibility.MEMBERS:
        return True
    if resource.visibility == Visibility.STAFF:
        return is_tutor(user)
    return is_booked(user, resource.session)


def session_round(session: TeachingSession | None):
    """The recruitment round whose published allocation gave this session's topic to its tutor."""
    if session is None or not session.topic_id or session.pk is None:
        return None
    return (
        RecruitmentRound.objects.filter(
            allocation_runs__is_published=True,
            allocation_runs__pairs__offering__topic_id=session.topic_id,
            allocation_runs__pairs__tutor__teaching_sessions=session,
        )
        .order_by("-pk")
        .first()
    )


def review_required(session: TeachingSession | None) -> bool:
    """The round's review_required_for_resources when the session came from a round's
    allocation; otherwise the MEDED_RESOURCES_REVIEW_REQUIRED setting."""
    round_ = getattr(session, "round", None) or session_round(session)
    flag = getattr(round_, "review_required_for_resources", None)
    if flag is not None:
        return bool(flag)
    return settings.MEDED_RESOURCES_REVIEW_REQUIRED


def needs_review(actor: User, session: TeachingSession | None) -> bool:
    """A tutor's upload waits for the committee when review is required; the committee's not."""
    return not is_committee(actor) and review_required(session)


def default_release_at(kind: str, session: TeachingSession | None) -> datetime | None:
    """Slides open at the session's start, a recording once the session is over."""
    if session is None:
        return None
    if kind == Kind.SLIDES:
        return session.starts_at
    if kind == Kind.RECORDING:
        return session.ends_at
    return None


def default_visibility(kind: str, session: TeachingSession | None) -> str:
    if session is not None and kind == Kind.SLIDES:
        return Visibility.ATTENDEES
    return Visibility.MEMBERS


# --- uploading ------------------------------------------------------------------------------


class _SavedFiles:
    """Delete stored files again if the surrounding transaction does not commit."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def save(self, path: str, upload: UploadedFile) -> str:
        name = default_storage.save(path, upload)
        self.names.append(name)
        return name

    def discard(self) -> None:
        for name in self.names:
            default_storage.delete(name)


def _check(upload: UploadedFile, kind: str, field: str) -> CheckedFile:
    """check_upload, with the refusal addressed to the form field the file came from."""
    try:
        return check_upload(upload, kind)
    except UploadRefused as exc:
        raise ResourceError(str(exc), field=field) from None


def _store_version(
    saved: _SavedFiles,
    resource: Resource,
    upload: UploadedFile,
    checked: CheckedFile,
    actor: User,
) -> ResourceVersion:
    version = ResourceVersion(
        resource=resource,
        filename=checked.filename,
        size=checked.size,
        content_type=checked.file_type.content_type,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    path = version.file.field.generate_filename(version, checked.filename)
    version.file.name = saved.save(path, upload)
    version.save()
    return version


def _store_captions(
    saved: _SavedFiles, resource: Resource, upload: UploadedFile, checked: CheckedFile
) -> None:
    path = resource.captions.field.generate_filename(resource, checked.filename)
    resource.captions.name = saved.save(path, upload)


def create_resource(
    actor: User,
    *,
    kind: str,
    title: str,
    session: TeachingSession | None = None,
    description: str = "",
    topics: Iterable[Topic] = (),
    upload: UploadedFile | None = None,
    external_url: str = "",
    captions: UploadedFile | None = None,
    visibility: str | None = None,
    release_at: datetime | None = None,
    duration: timedelta | None = None,
) -> Resource:
    """A tutor (or the committee) adds a resource; it waits for review when the round says so."""
    if not can_upload_to(actor, session):
        raise ResourceError("Only this session's tutors and the committee can add resources.")
    if kind == Kind.LINK and not external_url:
        raise ResourceError("A link needs a web address.", field="external_url")
    if kind != Kind.LINK and not upload and not external_url:
        raise ResourceError("Choose a file to upload, or give a web address.", field="file")
    if upload and external_url:
        raise ResourceError("Choose a file or a web address, not both.", field="external_url")
    if external_url:
        try:
            _WEB_ADDRESS(external_url)
        except ValidationError:
            raise ResourceError(
                "Give a full web address starting with https://.", field="external_url"
            ) from None
    if captions and kind != Kind.RECORDING:
        raise ResourceError("Captions belong to a recording.", field="captions")
    visibility = visibility or default_visibility(kind, session)
    if visibility == Visibility.ATTENDEES and session is None:
        raise ResourceError("“Students booked on the session” needs a session.", field="visibility")
    status = Status.AWAITING_REVIEW if needs_review(actor, session) else Status.PUBLISHED
    # Every file is checked before any is stored: a refusal leaves nothing on disk.
    checked_upload = _check(upload, kind, "file") if upload else None
    checked_captions = _check(captions, "captions", "captions") if captions else None
    now = timezone.now()
    saved = _SavedFiles()
    try:
        with transaction.atomic():
            resource = Resource(
                kind=kind,
                title=title.strip(),
                description=description.strip(),
                session=session,
                external_url=external_url,
                uploaded_by=actor,
                status=status,
                visibility=visibility,
                release_at=release_at if release_at else default_release_at(kind, session),
                duration=duration,
                published_at=now if status == Status.PUBLISHED else None,
                published_by=actor if status == Status.PUBLISHED else None,
            )
            if captions:
                _store_captions(saved, resource, captions, checked_captions)
            resource.save()
            topic_list = list(topics)
            if not topic_list and session is not None and session.topic_id:
                topic_list = [session.topic]
            resource.topics.set(topic_list)
            if upload:
                _store_version(saved, resource, upload, checked_upload, actor)
    except BaseException:
        saved.discard()
        raise
    return resource


def _back_to_review(actor: User, resource: Resource) -> list[str]:
    """A tutor's change to what students of a published resource see (its file, title,
    description, captions, chapters, audience or release time) goes back to the committee when
    the round requires review, as a new upload would: review is never bypassed by editing.
    Returns the fields it changed (none when no review is due)."""
    if resource.status != Status.PUBLISHED or not needs_review(actor, resource.session):
        return []
    resource.status = Status.AWAITING_REVIEW
    resource.published_at = None
    resource.published_by = None
    return ["status", "published_at", "published_by"]


def add_version(actor: User, resource: Resource, upload: UploadedFile) -> ResourceVersion:
    """A new file for the resource; earlier versions stay listed for tutors and committee.

    When the round requires review, a tutor's new file goes back to the committee before
    students see it: review cannot be bypassed by replacing a published file.
    """
    if not can_manage(actor, resource):
        raise ResourceError("Only this resource's tutors and the committee can upload versions.")
    if resource.kind == Kind.LINK:
        raise ResourceError("A link has no file to replace.", field="file")
    checked = _check(upload, resource.kind, "file")
    saved = _SavedFiles()
    try:
        with transaction.atomic():
            version = _store_version(saved, resource, upload, checked, actor)
            changed = ["updated"]
            if resource.external_url:
                resource.external_url = ""
                changed.append("external_url")
            changed += _back_to_review(actor, resource)
            resource.save(update_fields=changed)
    except BaseException:
        saved.discard()
        raise
    return version


def update_details(
    actor: User,
    resource: Resource,
    *,
    title: str,
    description: str = "",
    visibility: str | None = None,
    release_at: datetime | None = None,
    duration: timedelta | None = None,
    topics: Iterable[Topic] = (),
    chapters: str | None = None,
) -> Resource:
    """Correct a resource's title, audience or release time (and a recording's chapters).

    A tutor who changes what students read (title, description, chapters), who may open a
    published resource or when, sends it back to the committee when review is required.
    """
    if not can_manage(actor, resource):
        raise ResourceError("Only this resource's tutors and the committee can change it.")
    visibility = visibility or resource.visibility
    if visibility == Visibility.ATTENDEES and resource.session_id is None:
        raise ResourceError("“Students booked on the session” needs a session.", field="visibility")
    with transaction.atomic():
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        before = _reviewed_details(resource)
        resource.title = title.strip()
        resource.description = description.strip()
        resource.visibility = visibility
        resource.release_at = release_at
        if resource.kind == Kind.RECORDING:
            resource.duration = duration
            if chapters is not None:
                try:
                    parse_chapters(chapters)
                except ValueError as exc:
                    raise ResourceError(str(exc), field="chapters") from exc
                resource.chapters = chapters.strip()
        if _reviewed_details(resource) != before:
            _back_to_review(actor, resource)
        resource.save()
        resource.topics.set(list(topics))
    return resource


def _reviewed_details(resource: Resource) -> tuple:
    """What a reviewer approved besides the file: a change to any of it is reviewed again."""
    return (
        resource.title,
        resource.description,
        resource.chapters,
        resource.visibility,
        resource.release_at,
    )


def set_captions(actor: User, resource: Resource, upload: UploadedFile) -> Resource:
    """New captions for a recording: like a new file, reviewed again when review is required."""
    if not can_manage(actor, resource):
        raise ResourceError("Only this resource's tutors and the committee can add captions.")
    if resource.kind != Kind.RECORDING:
        raise ResourceError("Captions belong to a recording.", field="captions")
    checked = _check(upload, "captions", "captions")
    saved = _SavedFiles()
    old = resource.captions.name
    try:
        with transaction.atomic():
            _store_captions(saved, resource, upload, checked)
            changed = ["captions", "updated", *_back_to_review(actor, resource)]
            resource.save(update_fields=changed)
    except BaseException:
        saved.discard()
        raise
    if old:
        transaction.on_commit(lambda: default_storage.delete(old))
    return resource


# --- review ---------------------------------------------------------------------------------


def publish(actor: User, resource: Resource) -> Resource:
    if not is_committee(actor):
        raise ResourceError("Only the committee can publish resources.")
    with transaction.atomic():
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        if resource.status == Status.PUBLISHED:
            return resource
        has_content = resource.external_url or resource.versions.exists()
        if not has_content:
            raise ResourceError("This resource has no file yet, so it cannot be published.")
        resource.status = Status.PUBLISHED
        resource.published_at = timezone.now()
        resource.published_by = actor
        resource.save(update_fields=["status", "published_at", "published_by", "updated"])
    return resource


def return_to_draft(actor: User, resource: Resource) -> Resource:
    """Take a resource out of students' sight (committee), e.g. to fix a mistake."""
    if not is_committee(actor):
        raise ResourceError("Only the committee can unpublish resources.")
    with transaction.atomic():
        Resource.objects.filter(pk=resource.pk).update(
            status=Status.DRAFT, published_at=None, published_by=None, updated=timezone.now()
        )
    resource.refresh_from_db()
    return resource


# --- reminders ------------------------------------------------------------------------------


def send_slides_reminders(now: datetime | None = None, **signal_kwargs) -> int:
    """One email per tutor per session starting within MEDED_SLIDES_REMINDER_DAYS with no
    published slides; the sent log makes a re-run send nothing twice.

    A `periodic_task` receiver (and a beat task).
    """
    now = now or timezone.now()
    sent = 0
    for session in sessions_missing_slides(now, settings.MEDED_SLIDES_REMINDER_DAYS):
        for tutor in session.tutors.all():
            with transaction.atomic():
                row = notify(
                    tutor,
                    "resource_slides_reminder",
                    f"sessions_app.teachingsession:{session.pk}:slides-reminder",
                    {"session": session, "days": settings.MEDED_SLIDES_REMINDER_DAYS},
                    deliver_before=session.starts_at,
                )
            sent += row is not None
    return sent
