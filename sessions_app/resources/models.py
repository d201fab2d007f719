"""Recordings and resources: slides, recordings, guides, question banks, handouts and links.

Files are private: they live in the default storage under unguessable paths and are only ever
served by a view that checks permission. A new upload adds a ResourceVersion; the latest one is
current and the older ones stay listed for tutors and the committee.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


def _version_path(instance, filename: str) -> str:
    return f"resources/{uuid.uuid4().hex}/{filename}"


def _captions_path(instance, filename: str) -> str:
    return f"resources/captions/{uuid.uuid4().hex}/{filename}"


class Resource(models.Model):
    class Kind(models.TextChoices):
        SLIDES = "slides", "Slides"
        RECORDING = "recording", "Recording"
        GUIDE = "guide", "Guide"
        QUESTION_BANK = "question_bank", "Question bank"
        HANDOUT = "handout", "Handout"
        LINK = "link", "Link"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_REVIEW = "awaiting_review", "Awaiting review"
        PUBLISHED = "published", "Published"

    class Visibility(models.TextChoices):
        MEMBERS = "members", "All members"
        ATTENDEES = "attendees", "Students booked on the session"
        STAFF = "staff", "Tutors and committee only"

    kind = models.CharField(max_length=16, choices=Kind.choices, db_index=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    topics = models.ManyToManyField("meded.Topic", blank=True, related_name="resources")
    session = models.ForeignKey(
        "sessions_app.TeachingSession",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="resources",
    )
    external_url = models.URLField(
        max_length=500, blank=True, help_text="A video platform or web link instead of a file."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="uploaded_resources",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    visibility = models.CharField(
        max_length=12, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    release_at = models.DateTimeField(
        null=True, blank=True, help_text="Hidden from students until this time. Blank: at once."
    )
    duration = models.DurationField(null=True, blank=True, help_text="Length of a recording.")
    captions = models.FileField(upload_to=_captions_path, blank=True, max_length=300)
    chapters = models.TextField(
        blank=True,
        help_text='Recordings: one chapter a line, a time then a title, e.g. "4:30 Murmurs".',
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="link") | ~Q(external_url=""), name="resource_link_has_url"
            ),
            models.CheckConstraint(
                condition=~Q(visibility="attendees") | Q(session__isnull=False),
                name="resource_attendees_needs_session",
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sessions_app:resource_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def has_captions(self) -> bool:
        return bool(self.captions)

    @property
    def chapter_list(self) -> list:
        """The chapters to show (none if the saved text no longer parses)."""
        from sessions_app.resources.chapters import parse_chapters

        try:
            return parse_chapters(self.chapters)
        except ValueError:
            return []

    @property
    def is_released_now(self) -> bool:
        return self.release_at is None or self.release_at <= timezone.now()

    @property
    def duration_label(self) -> str:
        """ "50 min" (or "4 s" for a clip): how long a recording runs."""
        if not self.duration:
            return ""
        seconds = round(self.duration.total_seconds())
        return f"{seconds} s" if seconds < 60 else f"{round(seconds / 60)} min"

    def current_version(self):
        """The latest upload; uses prefetched versions when a selector loaded them."""
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "versions" in cache:
            versions = list(cache["versions"])
            return max(versions, key=lambda v: (v.uploaded_at, v.pk)) if versions else None
        return self.versions.order_by("-uploaded_at", "-pk").first()


class ResourceVersion(models.Model):
    """One uploaded file of a resource; older versions are kept, never overwritten."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    file = models.FileField(upload_to=_version_path, max_length=300)
    filename = models.CharField(max_length=120, help_text="Sanitised name offered on download.")
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=120)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.resource} - {self.filename}"

    @property
    def is_video(self) -> bool:
        return self.content_type.startswith("video/")

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


class ResourceAccess(models.Model):
    """Who opened or downloaded what: counts for the committee, and recording feedback."""

    class Kind(models.TextChoices):
        VIEW = "view", "View"
        DOWNLOAD = "download", "Download"

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resource_accesses"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["resource", "kind"]),
            models.Index(fields=["user", "resource"]),
        ]
        verbose_name_plural = "resource accesses"

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.resource}"


class RecordingPlayback(models.Model):
    """What the server streamed of a recording to one member: "watched the recording" (for
    feedback) means a set share of the file was served for playback, not that a page was opened.

    spans holds merged [start, end) byte intervals; watched is set once they cover
    MEDED_RECORDING_WATCHED_SHARE of the file. No time is kept.
    """

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="playbacks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recording_playbacks"
    )
    spans = models.JSONField(default=list, blank=True)
    watched = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "user"], name="resources_playback_once")
        ]
        indexes = [models.Index(fields=["user", "watched"])]

    def __str__(self) -> str:
        return f"{self.user_id} played {self.resource_id}"
