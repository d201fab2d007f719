from django.conf import settings
from django.db import models
from django.db.models import Q


class CoverRequest(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "Looking for cover"
        OFFERED = "offered", "Offered to other tutors"
        COVERED = "covered", "Covered"
        WITHDRAWN = "withdrawn", "Withdrawn"

    session = models.ForeignKey(
        "sessions_app.TeachingSession", on_delete=models.CASCADE, related_name="cover_requests"
    )
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cover_requests"
    )
    note = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    chosen = models.JSONField(
        default=list,
        blank=True,
        help_text="Tutors the committee chose to ask; asked once it confirms the emails.",
    )
    covered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="covers_taken",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session__starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "tutor"],
                condition=Q(state__in=["open", "offered"]),
                name="cover_one_live_request",
            )
        ]

    def __str__(self) -> str:
        return f"Cover for {self.session}"

    @property
    def live(self) -> bool:
        return self.state in (self.State.OPEN, self.State.OFFERED)


class CoverOffer(models.Model):
    """The session offered to one tutor who ranked its topic."""

    request = models.ForeignKey(CoverRequest, on_delete=models.CASCADE, related_name="offers")
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cover_offers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "tutor"], name="cover_offer_once")
        ]

    def __str__(self) -> str:
        return f"{self.request} offered to {self.tutor}"
