from .curriculum import Module, Topic, Year
from .notifications import EmailPreference, SentEmail
from .user import User, YearOfStudy

__all__ = ["EmailPreference", "Module", "SentEmail", "Topic", "User", "Year", "YearOfStudy"]
