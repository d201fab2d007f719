"""Tutors app models: recruitment (rounds, applications, interviews) and allocation."""

from .allocation_runs import *  # noqa: F403  (offerings, rankings, allocation runs)
from .applications import (  # noqa: F401
    Answer,
    Application,
    ApplicationStatus,
    Availability,
    Decision,
    Review,
)
from .interviews import InterviewBooking, InterviewScore, InterviewSlot, Recommendation  # noqa: F401
from .rounds import Question, RecruitmentRound, RoundState, RubricCriterion  # noqa: F401
