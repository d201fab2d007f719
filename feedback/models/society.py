"""The society's own questions (is it supporting you, do you feel part of it): asked at most
once a term, answered apart from any session.

As with session feedback, the answers never reference the member: SocietyQuestionsAsked
(member, term) only says they were asked this term; it has a random key and no time, and the
service rewrites the term's responses in the same transaction, so no row version pairs the two.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from .responses import YearGroup


class SocietyResponse(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    form = models.ForeignKey("feedback.FeedbackForm", on_delete=models.PROTECT)
    term = models.CharField(max_length=20, help_text='The term, e.g. "Spring 2027".')
    year_group = models.CharField(max_length=5, choices=YearGroup.choices)

    class Meta:
        ordering = ["term", "id"]  # never by insertion
        indexes = [models.Index(fields=["term"])]

    def __str__(self) -> str:
        return f"Answers to the society's questions, {self.term}"


class SocietyAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(SocietyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey("feedback.Question", on_delete=models.PROTECT, related_name="+")
    value_int = models.SmallIntegerField(null=True, blank=True)
    value_text = models.TextField(blank=True)
    value_choices = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["question__order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_int__isnull=True) | Q(value_int__gte=1, value_int__lte=10),
                name="feedback_society_answer_int_range",
            )
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id}"


class SocietyQuestionsAsked(models.Model):
    """Who was asked the society's questions in which term: links to no answer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "term"], name="feedback_society_once_a_term")
        ]
        verbose_name_plural = "society questions asked"

    def __str__(self) -> str:
        return f"{self.user_id} asked in {self.term}"
