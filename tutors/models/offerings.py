"""Topic offerings: a curriculum topic a round needs tutors for, and who may teach it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class OfferingFormat(models.TextChoices):
    LECTURE = "lecture", "Lecture"
    TUTORIAL = "tutorial", "Small-group tutorial"
    CLINICAL_SKILLS = "clinical_skills", "Clinical skills (OSCE)"
    MOCK_EXAM = "mock_exam", "Mock exam"


class Offering(models.Model):
    """One topic in one round with the number of tutor places it needs (capacity)."""

    Format = OfferingFormat

    round = models.ForeignKey(
        "tutors.RecruitmentRound", on_delete=models.CASCADE, related_name="offerings"
    )
    topic = models.ForeignKey("meded.Topic", on_delete=models.PROTECT, related_name="offerings")
    capacity = models.PositiveSmallIntegerField(
        "tutors needed", default=1, help_text="How many tutors teach this topic (usually 1)."
    )
    format = models.CharField(
        max_length=20, choices=OfferingFormat.choices, default=OfferingFormat.LECTURE
    )
    min_tutor_year = models.PositiveSmallIntegerField(
        "minimum tutor year",
        null=True,
        blank=True,
        help_text="Only tutors in this year of study or later may teach it (empty: anyone).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["topic__module__name", "topic__code"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="offering_capacity_positive"),
            models.CheckConstraint(
                condition=Q(min_tutor_year__isnull=True)
                | Q(min_tutor_year__gte=1, min_tutor_year__lte=7),
                name="offering_min_tutor_year_range",
            ),
            models.UniqueConstraint(fields=["round", "topic"], name="offering_unique_topic"),
        ]

    def __str__(self) -> str:
        return f"{self.topic.code} {self.topic.title}"

    def ineligible_reason(self, tutor) -> str | None:
        """Why this tutor may not teach it, in words for the tutor; None if they may."""
        if self.min_tutor_year and tutor.seniority < self.min_tutor_year:
            return f"Only tutors in year {self.min_tutor_year} or later may teach this topic."
        return None
