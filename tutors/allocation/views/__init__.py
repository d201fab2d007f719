"""Allocation pages: the committee's offerings, rankings and runs, and the tutor's ranking."""
