"""Certificates: a snapshot of facts, a PDF, and a code anyone can verify."""

import secrets

from django.conf import settings
from django.db import models


def new_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Certificate(models.Model):
    class Kind(models.TextChoices):
        TEACHING = "teaching", "Teaching certificate"
        ATTENDANCE = "attendance", "Certificate of attendance"

    code = models.CharField(max_length=16, unique=True, default=new_code)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # PROTECT: a certificate outlives its holder's account (an erased account is anonymised,
    # never deleted); a delete in the admin is refused rather than losing what was issued.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    holder_name = models.CharField(max_length=150)
    # Set when the holder erased their account: holder_name then keeps only a digest of the
    # name as issued, so the certificate still verifies against the name printed on it.
    holder_erased = models.BooleanField(default=False)
    title = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    facts = models.JSONField(default=dict, help_text="What the certificate states, as issued.")
    signatory = models.CharField(max_length=150)
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"
