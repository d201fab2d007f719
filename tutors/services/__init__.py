"""Business operations of the tutors app. Each raises a domain error a view shows as a message."""


class RecruitmentError(Exception):
    """A recruitment rule said no; the message is shown to the member as is."""
