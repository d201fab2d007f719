"""Tutor recruitment: rounds, applications, reviews, interviews, decisions and the roster."""
