"""Topic allocation: offerings, tutors' rankings, and every engine run (stored for audit and
comparison) with its overrides and pairs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from tutors.allocation.engine import OBJECTIVES

# ----- offerings --------------------------------------------------------------------------------


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


# ----- rankings ----------------------------------------------------------------------------------


class Ranking(models.Model):
    """One ranked offering; a tutor's list is saved whole (see tutors/services/ranking.py).

    ``round`` repeats ``offering.round`` so the database can hold "one offering per rank
    per tutor per round".
    """

    round = models.ForeignKey(
        "tutors.RecruitmentRound", on_delete=models.CASCADE, related_name="rankings"
    )
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_rankings"
    )
    offering = models.ForeignKey(
        "tutors.Offering", on_delete=models.CASCADE, related_name="rankings"
    )
    rank = models.PositiveSmallIntegerField()
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "tutor", "rank"]
        constraints = [
            models.CheckConstraint(condition=Q(rank__gte=1), name="ranking_rank_positive"),
            models.UniqueConstraint(fields=["tutor", "offering"], name="ranking_offering_once"),
            models.UniqueConstraint(
                fields=["tutor", "round", "rank"], name="ranking_rank_once_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tutor} #{self.rank}: {self.offering_id}"


# ----- runs ------------------------------------------------------------------------------------

OBJECTIVE_CHOICES = [(name, o.label) for name, o in OBJECTIVES.items()]


class AllocationRun(models.Model):
    """One engine run: its inputs snapshot, options, seed, result and statistics.

    Engine ids are the tutor's email and the topic code, so a snapshot reads like the CSV
    files of ``manage.py allocate`` and can be re-run there for an audit.
    """

    round = models.ForeignKey(
        "tutors.RecruitmentRound", on_delete=models.CASCADE, related_name="allocation_runs"
    )
    objective = models.CharField(max_length=20, choices=OBJECTIVE_CHOICES)
    spread = models.BooleanField(default=False)
    fill_unranked = models.BooleanField(default=False)
    seed = models.BigIntegerField(
        help_text=(
            "Tie-break seed: drawn at random at the round's first run and reused by every "
            "later run."
        )
    )
    inputs = models.JSONField(help_text="AllocationInputs.to_dict() at the time of the run.")
    result = models.JSONField(help_text="AllocationResult.to_dict().")
    statistics = models.JSONField()
    baseline = models.JSONField(
        default=dict, help_text="Serial dictatorship on the same data and seed, for comparison."
    )
    duration_ms = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"],
                condition=Q(is_published=True),
                name="allocation_one_published_per_round",
                violation_error_message="This round already has a published allocation.",
            ),
        ]

    def __str__(self) -> str:
        return f"Run {self.pk} ({self.get_objective_display()})"


class AllocatedTopic(models.Model):
    """One (tutor, offering) pair of a run, as rows so pages and sessions can query them."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="pairs")
    # PROTECT: a published allocation row outlives a delete of its tutor in the admin (an
    # account is erased, i.e. anonymised, never deleted).
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocated_topics"
    )
    offering = models.ForeignKey(
        "tutors.Offering", on_delete=models.CASCADE, related_name="allocated_topics"
    )
    rank = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty: unranked.")
    locked = models.BooleanField(default=False)
    unranked_fill = models.BooleanField(default=False)

    class Meta:
        ordering = ["run", "tutor", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "tutor", "offering"], name="allocated_pair_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tutor} -> {self.offering} (choice {self.rank or '-'})"


class OverrideKind(models.TextChoices):
    LOCK = "lock", "Locked (must be allocated)"
    FORBID = "forbid", "Forbidden (must not be allocated)"


class AllocationOverride(models.Model):
    """A committee decision on one pair that every later run respects."""

    Kind = OverrideKind

    round = models.ForeignKey(
        "tutors.RecruitmentRound", on_delete=models.CASCADE, related_name="allocation_overrides"
    )
    tutor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    offering = models.ForeignKey(
        "tutors.Offering", on_delete=models.CASCADE, related_name="overrides"
    )
    kind = models.CharField(max_length=10, choices=OverrideKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "tutor", "offering"], name="override_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.tutor} / {self.offering}"


# ----- swaps after publication ---------------------------------------------------------------


class SwapOfferStatus(models.TextChoices):
    OPEN = "open", "Offered for swap"
    SWAPPED = "swapped", "Swapped"
    WITHDRAWN = "withdrawn", "Withdrawn"


class SwapOffer(models.Model):
    """A tutor offers an allocated topic of a published allocation for swap."""

    Status = SwapOfferStatus

    pair = models.ForeignKey(AllocatedTopic, on_delete=models.CASCADE, related_name="swap_offers")
    status = models.CharField(
        max_length=10, choices=SwapOfferStatus.choices, default=SwapOfferStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pair"],
                condition=Q(status="open"),
                name="swap_offer_open_once",
                violation_error_message="This topic is already offered for swap.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pair} ({self.get_status_display()})"


class AllocationChange(models.Model):
    """The audit row of one tutor's topic changing after publication (an approved swap)."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="changes")
    pair = models.ForeignKey(AllocatedTopic, on_delete=models.CASCADE, related_name="changes")
    tutor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    from_offering = models.ForeignKey(
        Offering, on_delete=models.CASCADE, related_name="+", verbose_name="from"
    )
    to_offering = models.ForeignKey(
        Offering, on_delete=models.CASCADE, related_name="+", verbose_name="to"
    )
    offer = models.ForeignKey(
        SwapOffer, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField()
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-approved_at", "id"]

    def __str__(self) -> str:
        return f"{self.tutor}: {self.from_offering_id} -> {self.to_offering_id}"
