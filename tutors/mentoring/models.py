"""Mentoring and buddy schemes: offers, requests, pairs, check-ins, change requests."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from meded.parsing import parse_int

USER = settings.AUTH_USER_MODEL


class SchemeKind(models.TextChoices):
    MENTORING = "mentoring", "Mentoring"
    BUDDY = "buddy", "Buddy scheme for first-years"


# What a mentor can help with; a buddy scheme uses the simpler list.
MENTORING_TOPICS = [
    ("career", "Career"),
    ("exams", "Exams"),
    ("wellbeing", "Wellbeing"),
    ("research", "Research"),
    ("returning", "Returning from leave"),
]
BUDDY_TOPICS = [
    ("settling", "Settling in"),
    ("study", "Study habits"),
    ("social", "Societies and social life"),
]


class SchemeState(models.TextChoices):
    OPEN = "open", "Taking offers and requests"
    MATCHING = "matching", "Matching (closed to new sign-ups)"
    PUBLISHED = "published", "Pairs introduced"
    CLOSED = "closed", "Closed"


class MentoringScheme(models.Model):
    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=12, choices=SchemeKind.choices)
    state = models.CharField(max_length=12, choices=SchemeState.choices, default=SchemeState.OPEN)
    check_in_weeks = models.CharField(
        max_length=40,
        default="2,6",
        help_text='Weeks after the introduction to ask "have you met?", e.g. "2,6".',
    )
    introduced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def topics(self) -> list[tuple[str, str]]:
        return BUDDY_TOPICS if self.kind == SchemeKind.BUDDY else MENTORING_TOPICS

    @property
    def weeks(self) -> list[int]:
        weeks = (parse_int(w, low=1, high=52) for w in self.check_in_weeks.split(","))
        return sorted({w for w in weeks if w is not None})

    def topic_label(self, key: str) -> str:
        return dict(self.topics).get(key, key)


class MentorOffer(models.Model):
    scheme = models.ForeignKey(MentoringScheme, on_delete=models.CASCADE, related_name="offers")
    mentor = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="mentor_offers")
    capacity = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    topics = models.JSONField(default=list)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "mentor"], name="mentoring_offer_once"),
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=5), name="mentoring_offer_capacity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} offers {self.capacity}"


class MenteeRequest(models.Model):
    scheme = models.ForeignKey(MentoringScheme, on_delete=models.CASCADE, related_name="requests")
    mentee = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="mentee_requests")
    priorities = models.JSONField(default=list, help_text="Topic keys, what matters most first.")
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "mentee"], name="mentoring_request_once")
        ]

    def __str__(self) -> str:
        return f"{self.mentee} asks"


class PairRule(models.Model):
    """A committee override for the next matching: this pair must (lock) or must not be made."""

    class Kind(models.TextChoices):
        LOCK = "lock", "Must be paired"
        FORBID = "forbid", "Must not be paired"

    scheme = models.ForeignKey(MentoringScheme, on_delete=models.CASCADE, related_name="rules")
    mentor = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "mentor", "mentee"], name="mentoring_rule_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.mentee} with {self.mentor}"


class MentorPair(models.Model):
    scheme = models.ForeignKey(MentoringScheme, on_delete=models.CASCADE, related_name="pairs")
    mentor = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="mentoring_as_mentor")
    mentee = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="mentoring_as_mentee")
    rank = models.PositiveSmallIntegerField(
        null=True, help_text="Where this mentor stood in the mentee's derived ranking."
    )
    shared_topics = models.JSONField(default=list)
    locked = models.BooleanField(default=False)
    explanation = models.TextField(blank=True, help_text="For the committee: why this pair.")
    introduced_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["mentee__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "mentee"],
                condition=Q(ended_at__isnull=True),
                name="mentoring_one_live_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentors {self.mentee}"


class CheckIn(models.Model):
    """A light "have you met?" at a set week; two clicks, answered by either of the pair."""

    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="check_ins")
    week = models.PositiveSmallIntegerField()
    met = models.BooleanField(null=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["week"]
        constraints = [
            models.UniqueConstraint(fields=["pair", "week"], name="mentoring_checkin_once")
        ]

    def __str__(self) -> str:
        return f"Week {self.week} check-in"


class ChangeRequest(models.Model):
    """A mentee's private request for a different mentor (seen by the committee only)."""

    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="change_requests")
    reason = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    new_mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The mentor the committee chose; paired once it confirms the introductions.",
    )

    def __str__(self) -> str:
        return f"Change request for {self.pair}"
