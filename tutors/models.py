"""Where Django finds the tutors app's models; each concept keeps its own in its sub-package."""

from tutors.allocation.models import (  # noqa: F401
    AllocatedTopic,
    AllocationChange,
    AllocationOverride,
    AllocationRun,
    Offering,
    OfferingFormat,
    OverrideKind,
    Ranking,
    SwapOffer,
    SwapOfferStatus,
)
from tutors.mentoring.models import (  # noqa: F401
    ChangeRequest,
    CheckIn,
    MenteeRequest,
    MentoringScheme,
    MentorOffer,
    MentorPair,
    PairRule,
)
from tutors.recruitment.models import (  # noqa: F401
    Answer,
    Application,
    ApplicationStatus,
    Availability,
    Decision,
    FastTrackRule,
    InterviewBooking,
    InterviewScore,
    InterviewSlot,
    Question,
    Recommendation,
    RecruitmentRound,
    Review,
    RoundState,
    RubricCriterion,
    TutorConcern,
)
