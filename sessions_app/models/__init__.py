"""Sessions app models: one module per concept (sessions, bookings, resources)."""

from .bookings import ActiveBookingStatuses, Booking
from .resources import Resource, ResourceAccess, ResourceVersion  # noqa: F401
from .sessions import Series, TeachingSession

__all__ = ["ActiveBookingStatuses", "Booking", "Series", "TeachingSession"]
