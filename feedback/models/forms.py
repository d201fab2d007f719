"""Feedback forms: one per (round or default) and session kind, with ordered questions."""

from django.db import models
from django.db.models import Q

LIKERT_ANCHORS = [
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
]


class QuestionType(models.TextChoices):
    LIKERT = "likert", "Likert 1-5 (labelled anchors)"
    RATING = "rating", "Rating 1-10"
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice"
    TEXT = "text", "Free text"


class FeedbackForm(models.Model):
    """The questions asked after a session. `round` empty = the default; `kind` empty = any kind."""

    name = models.CharField(max_length=150)
    round = models.ForeignKey(
        "tutors.RecruitmentRound",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feedback_forms",
    )
    kind = models.CharField(
        max_length=20,
        blank=True,
        help_text="Session kind (lecture, tutorial, clinical_skills, mock_exam, workshop); "
        "empty for any kind.",
    )
    society = models.BooleanField(
        default=False,
        help_text="The society's own questions: asked at most once a term, after a session's "
        "questions, and kept apart from any session.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["society", "round_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "kind"],
                condition=Q(society=False),
                name="feedback_form_one_per_round_kind",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(round__isnull=True, society=False),
                name="feedback_form_one_default_per_kind",
            ),
            models.UniqueConstraint(
                fields=["society"], condition=Q(society=True), name="feedback_form_one_society"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    form = models.ForeignKey(FeedbackForm, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(
        max_length=40, help_text="Stable name used in reports (e.g. overall, knowledge)."
    )
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    type = models.CharField(max_length=10, choices=QuestionType.choices)
    choices = models.JSONField(
        default=list, blank=True, help_text="Options for single/multiple choice questions."
    )
    required = models.BooleanField(default=True)
    anchor_labels = models.JSONField(
        default=list, blank=True, help_text="Five labels for a Likert item; empty = agree scale."
    )
    per_tutor = models.BooleanField(
        default=False, help_text="Asked once per tutor when a session has several tutors."
    )

    class Meta:
        ordering = ["form_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["form", "key"], name="feedback_question_key_unique"),
            models.CheckConstraint(
                condition=Q(type__in=[c.value for c in QuestionType]),
                name="feedback_question_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def scale(self) -> list[int]:
        if self.type == QuestionType.LIKERT:
            return [1, 2, 3, 4, 5]
        if self.type == QuestionType.RATING:
            return list(range(1, 11))
        return []

    @property
    def anchors(self) -> list[str]:
        if self.type != QuestionType.LIKERT:
            return []
        return self.anchor_labels or LIKERT_ANCHORS

    @property
    def is_numeric(self) -> bool:
        return self.type in (QuestionType.LIKERT, QuestionType.RATING)
