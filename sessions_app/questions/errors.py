"""The refusals of the question bank and mock exams."""

from meded.errors import DomainError


class QuestionError(DomainError):
    """A rule about a question, its review, practice or a mock exam said no."""
