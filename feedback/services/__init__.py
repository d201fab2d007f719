"""Feedback business operations, one module per concept."""


class FeedbackError(Exception):
    """A rule said no; the message is shown to the member as is."""
