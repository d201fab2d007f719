"""Feedback data: forms and questions, anonymous responses, peer observations, certificates."""

from .certificates import Certificate
from .forms import FeedbackForm, Question, QuestionType
from .observations import PeerObservation
from .responses import Answer, HasAnswered, Response, ReviewStatus

__all__ = [
    "Answer",
    "Certificate",
    "FeedbackForm",
    "HasAnswered",
    "PeerObservation",
    "Question",
    "QuestionType",
    "Response",
    "ReviewStatus",
]
