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
