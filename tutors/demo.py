"""The tutors app's part of `manage.py seed_demo`: recruitment first, then allocation.

A `meded.signals.seed_demo` receiver (connected in TutorsConfig.ready): the core sends it once
its members exist, and this builds the app's part through the two concepts' demo modules.
"""

from __future__ import annotations

from tutors.allocation.demo import seed_allocation
from tutors.mentoring.demo import seed_mentoring
from tutors.recruitment.demo import seed as seed_recruitment


def seed(demo=None, **kwargs) -> None:
    seed_recruitment(demo)
    seed_allocation(demo)
    seed_mentoring(demo)
