"""Feedback business operations, one module per concept (reads live in feedback.selectors)."""

from meded.errors import DomainError


class FeedbackError(DomainError):
    """A rule said no; the message is shown to the member as is."""
