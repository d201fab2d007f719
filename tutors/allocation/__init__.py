"""Topic allocation: offerings, tutors' rankings, the committee's runs; engine/ is pure."""
