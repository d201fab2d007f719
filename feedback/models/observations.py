"""Peer observation: a committee member or senior tutor reports on a session to the tutor."""

from django.conf import settings
from django.db import models

RUBRIC = [
    ("objectives", "Set clear learning objectives"),
    ("structure", "Structure and pacing"),
    ("clarity", "Clear explanations"),
    ("engagement", "Engaged the audience (questions, interaction)"),
    ("accuracy", "Accurate, exam-relevant content"),
    ("materials", "Quality of slides and materials"),
]
RUBRIC_SCALE = [
    (1, "Needs work"),
    (2, "Developing"),
    (3, "Good"),
    (4, "Excellent"),
]


class PeerObservation(models.Model):
    session = models.ForeignKey(
        "sessions_app.TeachingSession", on_delete=models.CASCADE, related_name="observations"
    )
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="observations_received"
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="observations_made"
    )
    scores = models.JSONField(default=dict, help_text="Rubric criterion -> 1..4")
    strengths = models.TextField()
    suggestions = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "tutor", "observer"], name="feedback_observation_once"
            )
        ]

    def __str__(self) -> str:
        return f"Observation of {self.tutor} at {self.session}"

    def rubric_rows(self) -> list[tuple[str, int | None, str]]:
        labels = dict(RUBRIC_SCALE)
        return [
            (label, self.scores.get(key), labels.get(self.scores.get(key), "—"))
            for key, label in RUBRIC
        ]
