"""Feedback data: forms and questions, anonymous responses, peer observations, certificates."""

from feedback.portfolio.models import CareerLink, PortfolioLink, Reflection

from .certificates import Certificate
from .forms import FeedbackForm, Question, QuestionType
from .observations import PeerObservation
from .responses import Answer, HasAnswered, Response, ReviewStatus
from .society import SocietyAnswer, SocietyQuestionsAsked, SocietyResponse

__all__ = [
    "Answer",
    "CareerLink",
    "Certificate",
    "FeedbackForm",
    "HasAnswered",
    "PeerObservation",
    "PortfolioLink",
    "Question",
    "QuestionType",
    "Reflection",
    "Response",
    "ReviewStatus",
    "SocietyAnswer",
    "SocietyQuestionsAsked",
    "SocietyResponse",
]
