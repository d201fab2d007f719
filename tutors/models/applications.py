"""Applications to a recruitment round, their answers and the reviewers' scores."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from meded.models.user import YearOfStudy

from .rounds import Question, RecruitmentRound


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    SHORTLISTED = "shortlisted", "Invited to interview"
    INTERVIEW_BOOKED = "interview_booked", "Interview booked"
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Not successful"
    WAITING_LIST = "waiting_list", "Waiting list"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Decision(models.TextChoices):
    ACCEPT = "accept", "Accept"
    REJECT = "reject", "Reject"
    WAITING_LIST = "waiting_list", "Waiting list"


class Availability(models.TextChoices):
    WEEKDAY_EVENINGS = "weekday_evenings", "Weekday evenings"
    WEEKENDS = "weekends", "Weekends"
    ONLINE = "online", "Online"
    IN_PERSON = "in_person", "In person"


def cv_upload_to(instance: Answer, filename: str) -> str:
    # Private storage; the name carries no personal data and is never served directly.
    import uuid

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"tutors/applications/{instance.application.round_id}/{uuid.uuid4().hex}.{ext}"


class Application(models.Model):
    Status = ApplicationStatus

    round = models.ForeignKey(
        RecruitmentRound, on_delete=models.CASCADE, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tutor_applications"
    )
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    year_of_study = models.CharField(max_length=4, choices=YearOfStudy.choices, blank=True)
    motivation = models.TextField("why do you want to teach?", blank=True)
    experience = models.TextField("teaching experience", blank=True)
    strengths = models.TextField("subjects of strength", blank=True)
    availability = models.JSONField("availability for teaching", default=list, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True)
    decision_message = models.TextField(blank=True, help_text="Optional personal message.")
    feedback_note = models.TextField(blank=True, help_text="Optional feedback if unsuccessful.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_released_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "applicant"], name="application_one_per_member_per_round"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="application_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values),
                name="application_status_known",
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision__in=Decision.values),
                name="application_decision_known",
            ),
        ]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return f"{self.reference} ({self.round})"

    @property
    def reference(self) -> str:
        """A name-free label reviewers see in blind mode."""
        return f"A-{self.pk:05d}"

    @property
    def is_open_for_edit(self) -> bool:
        return self.status in (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED) and (
            self.round.takes_applications
        )

    def get_availability_display(self) -> str:
        labels = dict(Availability.choices)
        return ", ".join(labels.get(a, a) for a in self.availability)


class Answer(models.Model):
    """The applicant's answer to one custom question."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)
    choices = models.JSONField(default=list, blank=True)
    file = models.FileField(upload_to=cv_upload_to, blank=True)
    file_name = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.display()}"

    def display(self) -> str:
        if self.question.kind == Question.Kind.FILE:
            return self.file_name
        if self.question.kind == Question.Kind.MULTIPLE_CHOICE:
            return ", ".join(self.choices)
        return self.text


class Review(models.Model):
    """One reviewer's score of an application on the round's review rubric."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tutor_reviews"
    )
    scores = models.JSONField(default=dict, help_text="criterion id -> 1..5")
    total = models.FloatField(help_text="Weighted mean on the 1-5 scale.")
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_unique"),
            models.CheckConstraint(
                condition=Q(total__gte=1) & Q(total__lte=5), name="review_total_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.total}"
