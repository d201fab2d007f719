"""The core's models, where Django looks for them; each lives with its concept.

accounts: User (email login, verified year of study); curriculum: Year, Module, Topic;
notifications: SentEmail (the sent log), EmailPreference.
"""

from meded.accounts.models import User, YearOfStudy
from meded.curriculum.models import Module, Topic, Year
from meded.notifications.models import EmailPreference, SentEmail
from meded.support.models import SupportPage

__all__ = [
    "EmailPreference",
    "Module",
    "SentEmail",
    "SupportPage",
    "Topic",
    "User",
    "Year",
    "YearOfStudy",
]
