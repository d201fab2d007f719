"""A tutor's ordered topic preferences in a round (1 = most wanted)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


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
