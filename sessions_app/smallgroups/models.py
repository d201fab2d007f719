"""A member's availability: a weekly grid of free 30-minute cells and dated exceptions.

Only schedulers read it, and only as free or busy: no reasons are stored for the week, and an
exception's label is the member's own note (shown to them, never to schedulers).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .engine.grid import CELLS_PER_WEEK


class WeeklyAvailability(models.Model):
    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_availability"
    )
    # sorted week cells (Monday 00:00 = 0, 30 minutes each) in the society's time zone
    free_cells = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "weekly availabilities"

    def __str__(self) -> str:
        return f"{self.member}: {len(self.free_cells)} free half-hours a week"

    @property
    def free(self) -> frozenset[int]:
        return frozenset(c for c in self.free_cells if 0 <= c < CELLS_PER_WEEK)


class AvailabilityException(models.Model):
    """Dates the member is busy whatever the week says (placement blocks, exams, holidays)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability_exceptions"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    label = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ("starts_on", "ends_on")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="smallgroups_exception_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member}: busy {self.starts_on}..{self.ends_on}"


class BusyBlock(models.Model):
    """A dated busy time imported from the member's calendar (a file or their feed).

    Only the times are kept: an event's title, place and notes never reach meded, so a
    scheduler can learn nothing but free or busy.
    """

    class Source(models.TextChoices):
        FILE = "file", "Calendar file"
        FEED = "feed", "Calendar feed"

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="busy_blocks"
    )
    source = models.CharField(max_length=4, choices=Source.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ("starts_at",)
        indexes = [models.Index(fields=["member", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="smallgroups_busy_block_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member}: busy {self.starts_at:%Y-%m-%d %H:%M}..{self.ends_at:%H:%M}"


class CalendarFeed(models.Model):
    """The member's own calendar feed URL; the periodic job re-reads it for busy times."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    url = models.URLField(max_length=500)
    fetched_at = models.DateTimeField(null=True, blank=True)
    problem = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.member}: calendar feed"


class SlotInvitation(models.Model):
    """Who was chosen in "Find a time" for a session made from a slot: they are invited."""

    session = models.ForeignKey(
        "sessions_app.TeachingSession", on_delete=models.CASCADE, related_name="slot_invitations"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="slot_invitations"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="smallgroups_one_invitation")
        ]

    def __str__(self) -> str:
        return f"{self.member} invited to {self.session_id}"
