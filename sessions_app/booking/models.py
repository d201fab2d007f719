"""A student's place (or place in the queue) for one teaching session."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Booking(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        WAITING = "waiting", "On the waiting list"
        OFFERED = "offered", "Place offered"
        CANCELLED = "cancelled", "Cancelled"

    # PROTECT both: attendance is history. A session with bookings is cancelled, not deleted;
    # a member's account is erased (anonymised), not deleted (meded/history.py).
    session = models.ForeignKey(
        "sessions_app.TeachingSession", on_delete=models.PROTECT, related_name="bookings"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings"
    )
    status = models.CharField(max_length=10, choices=Status.choices, db_index=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    joined_at = models.DateTimeField(help_text="When the student asked; orders the waiting list.")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_late = models.BooleanField(default=False)
    cancel_reason = models.CharField(
        max_length=20,
        blank=True,
        help_text="student, left_waitlist, offer_expired, offer_declined, session_cancelled.",
    )
    attended = models.BooleanField(null=True, blank=True, help_text="Blank: not yet marked.")
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "student"],
                condition=Q(status__in=["confirmed", "waiting", "offered"]),
                name="booking_one_active_per_student",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "joined_at"])]

    def __str__(self) -> str:
        return f"{self.student} - {self.session} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ActiveBookingStatuses


ActiveBookingStatuses = (
    Booking.Status.CONFIRMED,
    Booking.Status.WAITING,
    Booking.Status.OFFERED,
)
