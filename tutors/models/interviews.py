"""Interview slots, the applicants booked into them and the interviewers' scores."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from .applications import Application
from .rounds import RecruitmentRound


class InterviewSlot(models.Model):
    round = models.ForeignKey(
        RecruitmentRound, on_delete=models.CASCADE, related_name="interview_slots"
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=20)
    location = models.CharField(max_length=200, blank=True, help_text="Room, if in person.")
    online_url = models.URLField(blank=True, help_text="Video link, if online.")
    capacity = models.PositiveSmallIntegerField(
        default=1, help_text="Candidates in this slot (more than one for a group interview)."
    )
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="interview_slots"
    )

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="slot_capacity_positive"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5), name="slot_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def where(self) -> str:
        return self.location or ("Online" if self.online_url else "To be confirmed")


class InterviewBooking(models.Model):
    """An application's place in a slot: one per application, capacity checked under lock."""

    slot = models.ForeignKey(InterviewSlot, on_delete=models.PROTECT, related_name="bookings")
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="interview_booking"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slot__starts_at"]

    def __str__(self) -> str:
        return f"{self.application.reference} in {self.slot}"


class Recommendation(models.TextChoices):
    ACCEPT = "accept", "Accept"
    WAITING_LIST = "waiting_list", "Waiting list"
    REJECT = "reject", "Reject"


class InterviewScore(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interview_scores"
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    scores = models.JSONField(default=dict)
    total = models.FloatField()
    recommendation = models.CharField(max_length=12, choices=Recommendation.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "interviewer"], name="interview_score_unique"
            ),
            models.CheckConstraint(
                condition=Q(total__gte=1) & Q(total__lte=5), name="interview_total_range"
            ),
            models.CheckConstraint(
                condition=Q(recommendation__in=Recommendation.values),
                name="interview_recommendation_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.total}"
