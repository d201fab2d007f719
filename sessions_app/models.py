"""The models Django loads for the sessions app; each lives with its concept.

scheduling: Series, TeachingSession; booking: Booking; resources: Resource and its versions and
accesses. `from sessions_app.models import X` keeps working for every app above this one.
"""

from sessions_app.booking.models import ActiveBookingStatuses, Booking
from sessions_app.resources.models import Resource, ResourceAccess, ResourceVersion
from sessions_app.scheduling.models import Series, TeachingSession
from sessions_app.smallgroups.models import AvailabilityException, WeeklyAvailability

__all__ = [
    "ActiveBookingStatuses",
    "AvailabilityException",
    "Booking",
    "Resource",
    "ResourceAccess",
    "ResourceVersion",
    "Series",
    "TeachingSession",
    "WeeklyAvailability",
]
