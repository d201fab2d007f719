"""A tutor's teaching load and cover: ask the committee to find cover, offer the session to
tutors who ranked its topic (previewed first), the first to accept takes it."""
