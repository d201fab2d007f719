"""Recruitment rounds: the windows, the ranking parameters and the round's state."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q


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
        default=False, help_text="Hide applicants' names and emails from reviewers."
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
        from django.utils import timezone

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
