"""The sent log: one row per (recipient, kind, object) is what makes an email go at most once.

A mailing groups the emails of one committee action that writes to many people: they are held
until `release_at` (the undo window, or a chosen time), and can be taken back until then.
"""

from django.conf import settings
from django.db import models


class SentEmail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SUPPRESSED = "suppressed", "Not sent (turned off by the member)"
        EXPIRED = "expired", "Not sent (too late to be useful)"
        HELD = "held", "Held (can still be undone)"
        CANCELLED = "cancelled", "Not sent (the action was undone)"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_emails"
    )
    mailing = models.ForeignKey(
        "meded.Mailing",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="emails",
        help_text="The committee action this email belongs to, when it wrote to many people.",
    )
    to_email = models.EmailField()
    kind = models.CharField(max_length=60, db_index=True)
    object_key = models.CharField(
        max_length=120, help_text="What the email is about, e.g. sessions_app.booking:42."
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(
        default=list,
        blank=True,
        help_text="[{filename, mimetype, content}] (text content), or {builder, arguments} to "
        "build at delivery.",
    )
    context = models.JSONField(
        null=True,
        blank=True,
        help_text="What to say, by reference (models as label and pk): the email is rendered "
        "at delivery, never inside the transaction that decided it.",
    )
    rendered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="After a temporary failure: when to try again."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    deliver_before = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Past this moment the email is pointless (a reminder for a session that has "
        "begun, after an SMTP outage): it is marked expired, not sent.",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "object_key"], name="sentemail_once_per_object"
            )
        ]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_email} ({self.status})"


class Mailing(models.Model):
    """One committee action that emails many people: previewed, confirmed, held, then released
    (or undone while it is held). The action's own change is reverted by its undo callback."""

    class State(models.TextChoices):
        HELD = "held", "Held: can be undone"
        RELEASED = "released", "Sent"
        UNDONE = "undone", "Undone"

    action = models.CharField(max_length=80, help_text="The registered mass action.")
    kind = models.CharField(max_length=60)
    target_key = models.CharField(max_length=120, help_text="What the action was taken on.")
    title = models.CharField(max_length=255, help_text="The action in the society's words.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mailings",
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.HELD)
    recipient_count = models.PositiveIntegerField(default=0)
    scheduled = models.BooleanField(
        default=False, help_text="Sent at a chosen time rather than after the undo window."
    )
    release_at = models.DateTimeField(db_index=True)
    undo_data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "release_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="released") | models.Q(released_at__isnull=False),
                name="mailing_released_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="undone") | models.Q(undone_at__isnull=False),
                name="mailing_undone_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_state_display()})"


class EmailPreference(models.Model):
    """Optional kinds a member turned off; transactional kinds ignore this."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    category = models.CharField(max_length=40)
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="emailpref_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.category}={'on' if self.enabled else 'off'}"
