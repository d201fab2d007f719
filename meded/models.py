"""The core's models, where Django looks for them; each lives with its concept.

accounts: User (email login, verified year of study); curriculum: Year, Module, Topic;
notifications: SentEmail (the sent log), Mailing (one action to many), EmailPreference.
"""

from meded.accounts.models import User, YearOfStudy
from meded.curriculum.models import Module, Topic, Year
from meded.notifications.models import EmailPreference, Mailing, SentEmail
from meded.support.models import SupportPage

__all__ = [
    "EmailPreference",
    "Mailing",
    "Module",
    "SentEmail",
    "SupportPage",
    "Topic",
    "User",
    "Year",
    "YearOfStudy",
]
