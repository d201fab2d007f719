"""Anonymous responses.

A Response never references the member who gave it. HasAnswered (member, session) only stops a
second answer; it shares no key with the Response, carries no time, and Response/Answer keys are
random UUIDs so that insertion order cannot pair the two tables. The response date is stored
rounded to the day.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class Mode(models.TextChoices):
    LIVE = "live", "I attended live"
    RECORDING = "recording", "I watched the recording"


class YearGroup(models.TextChoices):
    """Respondent's year of study at the time (for the survey report; no other trait kept)."""

    Y1 = "1", "Year 1"
    Y2 = "2", "Year 2"
    Y3 = "3", "Year 3"
    Y4 = "4", "Year 4"
    Y5 = "5", "Year 5"
    Y6 = "6", "Year 6"
    OTHER = "other", "Other (intercalated or graduated)"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Awaiting review"
    APPROVED = "approved", "Approved for the tutor"
    HIDDEN = "hidden", "Hidden"


class Response(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        "sessions_app.TeachingSession", on_delete=models.PROTECT, related_name="feedback_responses"
    )
    form = models.ForeignKey("feedback.FeedbackForm", on_delete=models.PROTECT)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    year_group = models.CharField(max_length=5, choices=YearGroup.choices)
    submitted_on = models.DateField(help_text="The day only, so it cannot be matched to a member.")

    class Meta:
        # Never order by insertion: give a stable order that says nothing about who came first.
        ordering = ["session_id", "submitted_on", "id"]
        indexes = [models.Index(fields=["session", "submitted_on"])]

    def __str__(self) -> str:
        return f"Response to {self.session_id} on {self.submitted_on}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        "feedback.Question", on_delete=models.PROTECT, related_name="answers"
    )
    # The tutor a per-tutor question is about (never the respondent).
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_about",
    )
    value_int = models.SmallIntegerField(null=True, blank=True)
    value_text = models.TextField(blank=True)
    value_choices = models.JSONField(default=list, blank=True)
    review = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )

    class Meta:
        ordering = ["question__order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_int__isnull=True) | Q(value_int__gte=1, value_int__lte=10),
                name="feedback_answer_int_range",
            )
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id}"


class HasAnswered(models.Model):
    """Who has answered for which session: stops double answers, links to no Response.

    A random key and no time, like Response; submit_feedback also rewrites the session's
    Responses in the same transaction, so not even the database's own row versions (PostgreSQL
    xmin, physical order) pair a HasAnswered row with the Response it came with.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_given"
    )
    session = models.ForeignKey(
        "sessions_app.TeachingSession", on_delete=models.PROTECT, related_name="feedback_given"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "session"], name="feedback_answer_once")
        ]
        verbose_name_plural = "has answered"

    def __str__(self) -> str:
        return f"{self.user_id} answered {self.session_id}"
