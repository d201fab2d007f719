"""Tutors app views: recruitment (applicant and committee) and allocation."""
