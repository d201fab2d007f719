"""The refusals of the sessions app: one for sessions and bookings, one for resources.

Both are DomainErrors, so a view shows them through `meded.errors.attempt`.
"""

from meded.errors import DomainError


class SessionError(DomainError):
    """A rule about a session or a booking said no; the message says why and what to do."""


class ResourceError(DomainError):
    """A rule about a recording or resource said no; `field` is the form field it is about
    ("file", "captions", ...), or None for the form as a whole."""
