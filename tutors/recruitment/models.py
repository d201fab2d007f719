"""Recruitment: rounds (windows, ranking parameters, state), applications and their scores,
interview slots and bookings."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from meded.accounts.models import YearOfStudy


class RoundState(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPLICATIONS_OPEN = "applications_open", "Applications open"
    INTERVIEWING = "interviewing", "Interviewing"
    RANKING = "ranking", "Ranking"
    ALLOCATION = "allocation", "Allocation"
    PUBLISHED = "published", "Published"
    CLOSED = "closed", "Closed"


class RecruitmentRound(models.Model):
    State = RoundState

    name = models.CharField(max_length=120, unique=True, help_text='e.g. "2026/27 Term 1".')
    term = models.CharField(max_length=60, help_text='Term label, e.g. "2026/27 T1".')
    applications_open = models.DateTimeField()
    applications_close = models.DateTimeField()
    interviews_open = models.DateTimeField()
    interviews_close = models.DateTimeField()
    ranking_opens = models.DateTimeField()
    ranking_closes = models.DateTimeField()
    min_rank = models.PositiveSmallIntegerField(
        default=3, help_text="Fewest topics a tutor must rank."
    )
    max_rank = models.PositiveSmallIntegerField(
        default=10, help_text="Most topics a tutor may rank."
    )
    max_topics_per_tutor = models.PositiveSmallIntegerField(
        "topics per tutor (k)", default=1, help_text="Most topics one tutor is allocated."
    )
    review_required_for_resources = models.BooleanField(
        default=True, help_text="Tutors' resources need committee review before release."
    )
    blind_review = models.BooleanField(
        default=True,
        help_text="Hide applicants' names and emails from reviewers (on unless you turn it off).",
    )
    hide_scores_until_scored = models.BooleanField(
        default=True, help_text="Reviewers see others' scores only after scoring themselves."
    )
    state = models.CharField(max_length=20, choices=RoundState.choices, default=RoundState.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-applications_open"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applications_open__lt=F("applications_close")),
                name="round_application_window_ordered",
                violation_error_message="Applications must close after they open.",
            ),
            models.CheckConstraint(
                condition=Q(interviews_open__lt=F("interviews_close")),
                name="round_interview_window_ordered",
                violation_error_message="Interviews must close after they open.",
            ),
            models.CheckConstraint(
                condition=Q(ranking_opens__lt=F("ranking_closes")),
                name="round_ranking_window_ordered",
                violation_error_message="Ranking must close after it opens.",
            ),
            models.CheckConstraint(
                condition=Q(applications_close__lte=F("interviews_close"))
                & Q(interviews_close__lte=F("ranking_opens")),
                name="round_windows_in_sequence",
                violation_error_message="Windows must run in order: apply, interview, rank.",
            ),
            models.CheckConstraint(
                condition=Q(min_rank__gte=1) & Q(min_rank__lte=F("max_rank")),
                name="round_rank_bounds",
                violation_error_message="Minimum rank must be 1 to the maximum.",
            ),
            models.CheckConstraint(
                condition=Q(max_topics_per_tutor__gte=1), name="round_k_positive"
            ),
            models.UniqueConstraint(
                fields=["term"],
                condition=Q(state="applications_open"),
                name="round_one_open_per_term",
                violation_error_message="Another round of this term is taking applications.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def takes_applications(self) -> bool:
        now = timezone.now()
        return (
            self.state == RoundState.APPLICATIONS_OPEN
            and self.applications_open <= now < self.applications_close
        )


class RubricCriterion(models.Model):
    """One scored line (1-5) of the review or interview rubric, with its weight."""

    class Stage(models.TextChoices):
        REVIEW = "review", "Application review"
        INTERVIEW = "interview", "Interview"

    round = models.ForeignKey(RecruitmentRound, on_delete=models.CASCADE, related_name="criteria")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    name = models.CharField(max_length=80)
    weight = models.PositiveSmallIntegerField(default=1)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["stage", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "stage", "name"], name="criterion_unique"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A custom application question the committee adds to a round."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", "Short text"
        LONG_TEXT = "long_text", "Long text"
        SINGLE_CHOICE = "single_choice", "Single choice"
        MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
        YES_NO = "yes_no", "Yes / no"
        FILE = "file", "File upload (PDF or DOCX)"

    round = models.ForeignKey(RecruitmentRound, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    label = models.CharField(max_length=200)
    help_text = models.CharField(max_length=300, blank=True)
    required = models.BooleanField(default=False)
    choices = models.TextField(blank=True, help_text="Choices, one per line (choice questions).")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.splitlines() if c.strip()]


# ----- applications, answers and reviews -------------------------------------------------------


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
    decision_reason = models.TextField(
        blank=True,
        help_text="Committee only: why an applicant was accepted without a score or interview.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_released_at = models.DateTimeField(null=True, blank=True)
    interview_invite_pending = models.BooleanField(
        default=False,
        help_text="Chosen for interview; invited once the committee confirms the emails.",
    )
    fast_track = models.BooleanField(
        default=False, help_text="A returning tutor who met the round's fast-track rule."
    )
    fast_track_evidence = models.JSONField(
        default=dict, blank=True, help_text="The teaching record checked, as it stood at submit."
    )
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


# ----- interviews -------------------------------------------------------------------------------

# An applicant may book, change or cancel an interview until this long before it starts.
CHANGE_DEADLINE = timedelta(hours=24)


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


# ----- fast track for returning tutors ---------------------------------------------------------

# The peer-observation rubric scale (feedback.models.observations.RUBRIC_SCALE), repeated here
# because recruitment sits a floor below feedback and may not import it.
OBSERVATION_LEVELS = [
    (0, "No peer observation needed"),
    (1, "Needs work or better"),
    (2, "Developing or better"),
    (3, "Good or better"),
    (4, "Excellent"),
]


class FastTrackRule(models.Model):
    """What a returning tutor must have shown to skip the interview in this round."""

    round = models.OneToOneField(
        RecruitmentRound, on_delete=models.CASCADE, related_name="fast_track_rule"
    )
    enabled = models.BooleanField("offer a fast track in this round", default=False)
    min_sessions = models.PositiveSmallIntegerField(
        "sessions taught, at least", default=3, validators=[MinValueValidator(0)]
    )
    min_mean = models.DecimalField(
        "mean overall feedback, at least (1-5)",
        max_digits=3,
        decimal_places=2,
        default=Decimal("4.00"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("5"))],
    )
    min_responses = models.PositiveSmallIntegerField(
        "over at least this many feedback responses", default=10
    )
    min_observation_level = models.PositiveSmallIntegerField(
        "a peer observation at or above", choices=OBSERVATION_LEVELS, default=3
    )
    note = models.TextField(
        blank=True, help_text="Anything else applicants should know (shown before they apply)."
    )

    def __str__(self) -> str:
        return f"Fast track for {self.round}"


class TutorConcern(models.Model):
    """A concern the committee recorded about a tutor's teaching; open ones block a fast track."""

    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tutor_concerns"
    )
    summary = models.CharField(max_length=200)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return self.summary
