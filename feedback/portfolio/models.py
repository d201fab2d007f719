"""Portfolio data: private reflections, share links, and the committee's career links."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Reflection(models.Model):
    """A short note a tutor writes after a session; private until they include it."""

    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    session = models.ForeignKey(
        "sessions_app.TeachingSession", on_delete=models.CASCADE, related_name="reflections"
    )
    text = models.TextField(max_length=2000)
    in_portfolio = models.BooleanField(
        "include in my portfolio", default=False, help_text="Private to you unless ticked."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-session__starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["tutor", "session"], name="feedback_reflection_once")
        ]

    def __str__(self) -> str:
        return f"Reflection on {self.session}"


class PortfolioLink(models.Model):
    """A private link to a tutor's portfolio; works until revoked."""

    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portfolio_links"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    label = models.CharField(max_length=100, blank=True, help_text='e.g. "Foundation application"')
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label or f"Link of {self.created_at:%d %b %Y}"


class CareerLink(models.Model):
    """Medical-education career information the committee curates (shown on every portfolio)."""

    title = models.CharField(max_length=150)
    url = models.URLField()
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title
