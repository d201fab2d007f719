"""Allocation runs (every engine run, stored for audit and comparison), overrides and pairs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from tutors.allocation import OBJECTIVES

from .offerings import Offering, OfferingFormat
from .rankings import Ranking

# Re-exported so tutors/models/__init__.py needs one line for offerings, rankings and runs.
__all__ = [
    "AllocatedTopic",
    "AllocationOverride",
    "AllocationRun",
    "Offering",
    "OfferingFormat",
    "OverrideKind",
    "Ranking",
]

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
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="allocated_topics"
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
