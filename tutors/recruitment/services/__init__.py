"""Recruitment operations: rounds and applying, reviewing, interviews, decisions.

Each raises RecruitmentError, a DomainError that `meded.errors.attempt` shows as a message.
"""

from meded.errors import DomainError


class RecruitmentError(DomainError):
    """A recruitment rule said no; the message is shown to the member as is."""
