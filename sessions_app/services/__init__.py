"""Business operations on sessions: booking, waiting list, scheduling, attendance, calendars.

Every operation takes plain arguments, checks its rule inside one transaction and raises
SessionError with a message a person can act on; views turn it into a flash message.
"""


class SessionError(Exception):
    """A rule said no; the message says why and what to do."""
