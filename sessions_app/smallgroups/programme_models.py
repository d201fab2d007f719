"""Small-group programmes: who leads, who signed up, the groups the engine proposed, requests.

A programme runs weekly meetings through a term for one year of study. Its groups are the
stored proposal (tutor, weekly start, members); publishing turns each into a tutorial series.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .engine.grid import CELLS_PER_WEEK, cell_label


class Programme(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=150, unique=True)
    module = models.ForeignKey(
        "meded.Module", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    topics = models.ManyToManyField("meded.Topic", blank=True, related_name="+")
    year = models.ForeignKey("meded.Year", on_delete=models.PROTECT, related_name="+")
    group_size = models.PositiveSmallIntegerField(default=6)
    minutes = models.PositiveSmallIntegerField(default=60)
    first_day = models.DateField(help_text="The first day of the term's first week.")
    weeks = models.PositiveSmallIntegerField(default=8)
    venue = models.CharField(max_length=200, help_text="Where the groups meet.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    # bumped by every change to the proposal, so a run solved meanwhile is not stored over it
    revision = models.PositiveIntegerField(default=0)
    seed = models.PositiveIntegerField(default=0)
    ran_at = models.DateTimeField(null=True, blank=True)
    proven_optimal = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(group_size__gte=1, group_size__lte=30), name="programme_group_size"
            ),
            models.CheckConstraint(
                condition=Q(minutes__gte=30, minutes__lte=240), name="programme_minutes"
            ),
            models.CheckConstraint(
                condition=Q(weeks__gte=1, weeks__lte=20), name="programme_weeks"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def length(self) -> int:
        """The meeting length in grid cells (30 minutes each)."""
        return self.minutes // 30

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class ProgrammeTutor(models.Model):
    """A tutor who leads groups in the programme, and how many they may lead."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="leaders")
    tutor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    max_groups = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["tutor__full_name", "tutor__email"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "tutor"], name="programme_tutor_once"),
            models.CheckConstraint(condition=Q(max_groups__gte=1), name="programme_tutor_groups"),
        ]

    def __str__(self) -> str:
        return f"{self.tutor} leads up to {self.max_groups} in {self.programme}"


class Enrolment(models.Model):
    """A student in the programme (signed up, or enrolled with their year by the committee)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="enrolments")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="smallgroup_enrolments"
    )
    by_committee = models.BooleanField(default=False)
    # why the last run could not place them (engine UnplacedReason value); blank when placed
    unplaced_reason = models.CharField(max_length=30, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["student__full_name", "student__email"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "student"], name="enrolment_once")
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.programme}"


class ProgrammeGroup(models.Model):
    """One proposed (later published) group: its tutor and weekly start in local time."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="groups")
    tutor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    start = models.PositiveSmallIntegerField(help_text="Week cell: Monday 00:00 = 0, 30 minutes.")
    locked = models.BooleanField(default=False)
    series = models.OneToOneField(
        "sessions_app.Series",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="smallgroup",
    )

    class Meta:
        ordering = ["start", "tutor__full_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=CELLS_PER_WEEK), name="programme_group_start_in_week"
            )
        ]

    def __str__(self) -> str:
        day, time = cell_label(self.start)
        return f"{self.tutor}, {day} {time}"

    @property
    def day(self) -> str:
        return cell_label(self.start)[0]

    @property
    def time(self) -> str:
        return cell_label(self.start)[1]


class GroupMember(models.Model):
    """A student's place in a group; one group per student in a programme (a constraint)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(ProgrammeGroup, on_delete=models.CASCADE, related_name="members")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    booked = models.BooleanField(default=False, help_text="Has places on the group's sessions.")

    class Meta:
        ordering = ["student__full_name", "student__email"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "student"], name="group_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.group}"


class MoveRequest(models.Model):
    """A member (student or tutor) asks the committee to move them; the committee answers."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="move_requests")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=500)
    created = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["handled_at", "created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(handled_at__isnull=True) | Q(handled_at__gte=F("created")),
                name="move_request_handled_after",
            ),
            models.UniqueConstraint(
                fields=["programme", "member"],
                condition=Q(handled_at__isnull=True),
                name="move_request_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} asks to move in {self.programme}"
