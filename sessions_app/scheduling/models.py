"""Teaching sessions and the series that group them."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from meded.prepared import Prepared
from meded.roles import is_committee


def default_cancellation_hours() -> int:
    return settings.MEDED_CANCELLATION_DEADLINE_HOURS


def new_checkin_code() -> str:
    """A short code students type to check in; no 0/O or 1/I to misread on a slide."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(6))


class Series(models.Model):
    """A run of related sessions, e.g. "Year 3 Cardiology lecture series"."""

    title = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    bookable_as_whole = models.BooleanField(
        default=False, help_text="Students may book every upcoming session of the series at once."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title


class TeachingSession(models.Model):
    class Kind(models.TextChoices):
        LECTURE = "lecture", "Lecture"
        TUTORIAL = "tutorial", "Small-group tutorial"
        CLINICAL_SKILLS = "clinical_skills", "Clinical skills / OSCE practice"
        MOCK_EXAM = "mock_exam", "Mock exam"
        WORKSHOP = "workshop", "Teaching-skills workshop"

    class Delivery(models.TextChoices):
        ONLINE = "online", "Online"
        IN_PERSON = "in_person", "In person"
        HYBRID = "hybrid", "Hybrid"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    topic = models.ForeignKey(
        "meded.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teaching_sessions",
    )
    series = models.ForeignKey(
        Series, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    offering = models.ForeignKey(
        "tutors.Offering",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teaching_sessions",
        help_text="The allocated topic this session was scheduled from, if any.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.LECTURE)
    delivery = models.CharField(max_length=12, choices=Delivery.choices, default=Delivery.IN_PERSON)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=200, blank=True, help_text="Room, for in-person teaching.")
    join_link = models.URLField(
        max_length=500, blank=True, help_text="Shown only to booked students, tutors, committee."
    )
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Leave blank for unlimited places."
    )
    target_years = models.ManyToManyField(
        "meded.Year", blank=True, related_name="teaching_sessions"
    )
    tutors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="teaching_sessions"
    )
    booking_opens = models.DateTimeField(null=True, blank=True, help_text="Blank: open now.")
    booking_closes = models.DateTimeField(null=True, blank=True, help_text="Blank: at the start.")
    cancellation_deadline_hours = models.PositiveIntegerField(
        default=default_cancellation_hours,
        help_text="Cancelling later than this many hours before the start is recorded as late.",
    )
    auto_confirm_waitlist = models.BooleanField(
        default=False,
        help_text="When a place frees, confirm the next person at once instead of offering it.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    checkin_code = models.CharField(
        max_length=8, blank=True, help_text="Short code students type to check in."
    )
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE.")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
                violation_error_message="The session must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="session_capacity_positive_or_unlimited",
                violation_error_message="Places must be at least 1; leave empty for unlimited.",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sessions_app:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_unlimited(self) -> bool:
        return self.capacity is None

    @property
    def cancellation_deadline(self):
        return self.starts_at - timedelta(hours=self.cancellation_deadline_hours)

    def is_taught_by(self, user) -> bool:
        """Whether the member is one of this session's tutors (prefetched tutors when loaded)."""
        if not getattr(user, "is_authenticated", False) or self.pk is None:
            return False
        tutors = getattr(self, "_prefetched_objects_cache", {}).get("tutors")
        if tutors is not None:
            return any(t.pk == user.pk for t in tutors)
        return bool(_TEACHES.rows(self.pk, user.pk))

    def is_run_by(self, user) -> bool:
        """Its tutors and the committee run a session: they see drafts, the link, the register."""
        return is_committee(user) or self.is_taught_by(user)

    def shows_join_link_to(self, user, booking=None) -> bool:
        """The join link is for those who run the session and students with a confirmed place."""
        if self.is_run_by(user):
            return True
        return booking is not None and booking.status == booking.Status.CONFIRMED

    def bookability(self, now) -> str | None:
        """Why a member cannot book this session at `now`, or None when booking is open."""
        if self.status == self.Status.CANCELLED:
            return "This session has been cancelled, so it cannot be booked."
        if self.status != self.Status.PUBLISHED:
            return "This session is not open for booking yet."
        if self.starts_at <= now:
            return "This session has already started, so it can no longer be booked."
        if self.booking_opens and now < self.booking_opens:
            opens = timezone.localtime(self.booking_opens).strftime("%a %d %b %Y, %H:%M")
            return f"Booking opens on {opens}."
        if self.booking_closes and now >= self.booking_closes:
            return "Booking for this session has closed."
        return None


class SlotRelease(models.Model):
    """The committee released teaching slots for a round: tutors pick dates until the deadline."""

    round = models.OneToOneField(
        "tutors.RecruitmentRound", on_delete=models.CASCADE, related_name="slot_release"
    )
    pick_deadline = models.DateTimeField(help_text="Tutors pick dates until this time.")
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Teaching slots for {self.round}"


class TeachingSlot(models.Model):
    """A date, time and room the committee offers for teaching a round's allocated topics.

    Picking one creates the topic's draft session; the one-to-one makes a slot hold at most
    one session, whatever two tutors do at once.
    """

    round = models.ForeignKey(
        "tutors.RecruitmentRound", on_delete=models.CASCADE, related_name="teaching_slots"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.CharField("room", max_length=200)
    session = models.OneToOneField(
        TeachingSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="slot"
    )
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty with a session: placed by the proposal after the deadline.",
    )
    picked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "venue", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="slot_ends_after_start",
                violation_error_message="The slot must end after it starts.",
            ),
            models.UniqueConstraint(
                fields=["round", "starts_at", "venue"], name="slot_once_per_room_and_time"
            ),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.starts_at).strftime("%a %d %b %Y %H:%M")
        return f"{when}, {self.venue}"

    @property
    def is_free(self) -> bool:
        return self.session_id is None


class SessionChange(models.Model):
    """An edit to a published session that would email several people, held until the
    committee confirms its emails (the "sessions.change_session" mass action); undo puts the
    session back as `previous` says."""

    session = models.ForeignKey(TeachingSession, on_delete=models.CASCADE, related_name="changes")
    values = models.JSONField(help_text="The edited fields, as they will be.")
    previous = models.JSONField(help_text="The same fields, as they were.")
    tutors = models.JSONField(default=list)
    target_years = models.JSONField(default=list)
    previous_tutors = models.JSONField(default=list)
    previous_target_years = models.JSONField(default=list)
    new_series = models.CharField(max_length=200, blank=True)
    new_series_bookable = models.BooleanField(default=False)
    base_sequence = models.PositiveIntegerField(help_text="The session's sequence when edited.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Change to {self.session}"


# Whether a member teaches a session, asked by a session's page and its panels on every cold
# visit: compiled once per process.
_TEACHES = Prepared(
    lambda session_pk, user_pk: TeachingSession.tutors.through.objects.filter(
        teachingsession_id=session_pk, user_id=user_pk
    ).values_list("pk")[:1],
    2,
)
