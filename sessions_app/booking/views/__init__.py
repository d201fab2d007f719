"""Pages for a student's bookings, the register and check-in, and the calendar feed."""
