"""The question bank: single-best-answer questions, their versions and reviews, students' flags,
practice answers with a spaced-repetition schedule, and mock-exam papers with their attempts.

A Question is the identity; each edit writes a QuestionVersion. `live_version` is what students
practise and papers use (the latest approved one); an edit after publication writes a new version
that goes back to review while the live one stays in use. Answers point at the version answered.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

LETTERS = ("A", "B", "C", "D", "E")
LETTER_CHOICES = [(x, x) for x in LETTERS]


def _image_path(instance, filename: str) -> str:
    return f"questions/{uuid.uuid4().hex}/{filename}"


class QuestionReviewer(models.Model):
    """A tutor the committee marked as question reviewer (committee members review anyway)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_reviewer"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(user=models.F("granted_by")), name="question_reviewer_not_self"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} reviews questions"


class Question(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "Awaiting review"
        RETURNED = "returned", "Returned with comments"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Rejected"
        RETIRED = "retired", "Retired"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="questions_written"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    latest_version = models.ForeignKey(
        "QuestionVersion", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    live_version = models.ForeignKey(
        "QuestionVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The approved version students answer; blank until first approval.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated", "-id"]
        indexes = [models.Index(fields=["status", "updated"])]

    def __str__(self) -> str:
        return f"Q{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("sessions_app:question_detail", args=[self.pk])

    @property
    def in_use(self) -> bool:
        return self.live_version_id is not None and self.status != self.Status.RETIRED


class QuestionVersion(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    stem = models.TextField()
    image = models.FileField(upload_to=_image_path, blank=True, max_length=300)
    image_alt = models.CharField(max_length=300, blank=True, help_text="What the image shows.")
    option_a = models.CharField(max_length=500)
    option_b = models.CharField(max_length=500)
    option_c = models.CharField(max_length=500)
    option_d = models.CharField(max_length=500)
    option_e = models.CharField(max_length=500)
    answer = models.CharField(max_length=1, choices=LETTER_CHOICES)
    explanation = models.TextField()
    reference = models.CharField(max_length=500, blank=True)
    topics = models.ManyToManyField("meded.Topic", related_name="question_versions")
    year = models.ForeignKey(
        "meded.Year", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="question_version_unique"),
            models.CheckConstraint(
                condition=Q(answer__in=LETTERS), name="question_version_answer_a_to_e"
            ),
        ]

    def __str__(self) -> str:
        return f"Q{self.question_id} v{self.number}"

    @property
    def options(self) -> list[tuple[str, str]]:
        return list(
            zip(LETTERS, [getattr(self, f"option_{x.lower()}") for x in LETTERS], strict=False)
        )


class Review(models.Model):
    class Decision(models.TextChoices):
        APPROVE = "approve", "Approved"
        RETURN = "return", "Returned with comments"
        REJECT = "reject", "Rejected"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(QuestionVersion, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=8, choices=Decision.choices)
    comments = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} Q{self.question_id}"


class QuestionFlag(models.Model):
    class Reason(models.TextChoices):
        WRONG_ANSWER = "wrong_answer", "The answer is wrong"
        UNCLEAR = "unclear", "The question is unclear"
        OUT_OF_DATE = "out_of_date", "It is out of date"
        OTHER = "other", "Something else"
        STATISTICS = "statistics", "Mock-exam statistics"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="flags")
    version = models.ForeignKey(QuestionVersion, on_delete=models.CASCADE, related_name="flags")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(max_length=12, choices=Reason.choices)
    comment = models.TextField()
    created = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["resolved_at"])]

    def __str__(self) -> str:
        return f"Flag on Q{self.question_id}: {self.get_reason_display()}"


class PracticeSet(models.Model):
    """A run of practice questions a student asked for, answered one at a time or as a block."""

    class Mode(models.TextChoices):
        ONE = "one", "One at a time, with feedback"
        BLOCK = "block", "As a block, marked at the end"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_sets"
    )
    mode = models.CharField(max_length=5, choices=Mode.choices, default=Mode.ONE)
    description = models.CharField(max_length=200)
    created = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.description


class PracticeAnswer(models.Model):
    practice_set = models.ForeignKey(PracticeSet, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    chosen = models.CharField(max_length=1, choices=LETTER_CHOICES, blank=True)
    correct = models.BooleanField(null=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["practice_set", "position"], name="practice_position")
        ]

    def __str__(self) -> str:
        return f"{self.practice_set} #{self.position}"

    @property
    def field_name(self) -> str:
        return f"q{self.position}"


class RepetitionSchedule(models.Model):
    """When a question comes back to a student: wrong soon, mastered rarely (Leitner boxes)."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    box = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField(db_index=True)
    last_answered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "question"], name="repetition_unique")
        ]

    def __str__(self) -> str:
        return f"Q{self.question_id} box {self.box}"


class ExamPaper(models.Model):
    title = models.CharField(max_length=200)
    session = models.OneToOneField(
        "sessions_app.TeachingSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exam_paper",
        help_text="The mock-exam session it is sat in; its booked students may sit it.",
    )
    time_limit_minutes = models.PositiveIntegerField(default=60)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    results_released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(time_limit_minutes__gte=1, time_limit_minutes__lte=600),
                name="exam_time_limit_sane",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sessions_app:exam_manage", args=[self.pk])

    @property
    def released(self) -> bool:
        return self.results_released_at is not None


class PaperItem(models.Model):
    paper = models.ForeignKey(ExamPaper, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "position"], name="paper_item_position"),
            models.UniqueConstraint(fields=["paper", "version"], name="paper_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.paper} #{self.position}"

    @property
    def pk_str(self) -> str:
        return str(self.pk)


class ExamAttempt(models.Model):
    paper = models.ForeignKey(ExamPaper, on_delete=models.CASCADE, related_name="attempts")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_attempts"
    )
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    auto_submitted = models.BooleanField(default=False)
    score = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "student"], name="exam_one_attempt")
        ]

    def __str__(self) -> str:
        return f"{self.student} sitting {self.paper}"


class ExamAnswer(models.Model):
    attempt = models.ForeignKey(ExamAttempt, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(PaperItem, on_delete=models.CASCADE, related_name="answers")
    chosen = models.CharField(max_length=1, choices=LETTER_CHOICES)
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "item"], name="exam_answer_once")]

    def __str__(self) -> str:
        return f"{self.attempt} item {self.item_id}: {self.chosen}"


# The usual five-point global rating of a mock OSCE; a station may use its own scale.
DEFAULT_RATING_SCALE = [
    "Clear fail",
    "Borderline fail",
    "Borderline pass",
    "Clear pass",
    "Excellent",
]
MAX_RATING_POINTS = 9
MAX_ITEM_MARKS = 10


def default_rating_scale() -> list[str]:
    return list(DEFAULT_RATING_SCALE)


class OsceStation(models.Model):
    """A mock OSCE station: a scenario, a checklist of marked items and a global rating."""

    title = models.CharField(max_length=200)
    scenario = models.TextField()
    session = models.ForeignKey(
        "sessions_app.TeachingSession", on_delete=models.PROTECT, related_name="osce_stations"
    )
    # The global rating's labels, lowest first: the examiner's rating is 1..len(labels).
    rating_scale = models.JSONField(default=default_rating_scale)
    created = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def ratings(self) -> list[tuple[int, str]]:
        return [(i, f"{i} {label}") for i, label in enumerate(self.rating_scale, start=1)]

    @property
    def max_rating(self) -> int:
        return len(self.rating_scale)


class OsceItem(models.Model):
    station = models.ForeignKey(OsceStation, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    text = models.CharField(max_length=300)
    marks = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["station", "position"], name="osce_item_position"),
            models.CheckConstraint(
                condition=Q(marks__gte=1, marks__lte=MAX_ITEM_MARKS), name="osce_item_marks_1_10"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class OsceSheet(models.Model):
    """One candidate's marks at one station; the examiner's last save counts."""

    station = models.ForeignKey(OsceStation, on_delete=models.CASCADE, related_name="sheets")
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="osce_sheets"
    )
    examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ticked = models.ManyToManyField(OsceItem, blank=True, related_name="+")
    global_rating = models.PositiveSmallIntegerField()
    comments = models.TextField(blank=True)
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["station", "candidate"], name="osce_one_sheet"),
            models.CheckConstraint(
                condition=Q(global_rating__gte=1, global_rating__lte=MAX_RATING_POINTS),
                name="osce_rating_1_9",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} at {self.station}"
