"""The models Django loads for the sessions app; each lives with its concept.

scheduling: Series, TeachingSession; booking: Booking; resources: Resource and its versions and
accesses. `from sessions_app.models import X` keeps working for every app above this one.
"""

from sessions_app.booking.models import ActiveBookingStatuses, Booking
from sessions_app.cover.models import CoverOffer, CoverRequest
from sessions_app.questions.models import (
    ExamAnswer,
    ExamAttempt,
    ExamPaper,
    OsceItem,
    OsceSheet,
    OsceStation,
    PaperItem,
    PracticeAnswer,
    PracticeSet,
    Question,
    QuestionFlag,
    QuestionReviewer,
    QuestionVersion,
    RepetitionSchedule,
    Review,
)
from sessions_app.resources.models import (
    RecordingPlayback,
    Resource,
    ResourceAccess,
    ResourceVersion,
)
from sessions_app.scheduling.models import Series, SlotRelease, TeachingSession, TeachingSlot
from sessions_app.smallgroups.models import (
    AvailabilityException,
    BusyBlock,
    CalendarFeed,
    SlotInvitation,
    WeeklyAvailability,
)
from sessions_app.smallgroups.programme_models import (
    Enrolment,
    GroupMember,
    MoveRequest,
    Programme,
    ProgrammeGroup,
    ProgrammeTutor,
)

__all__ = [
    "ActiveBookingStatuses",
    "AvailabilityException",
    "Booking",
    "BusyBlock",
    "CalendarFeed",
    "CoverOffer",
    "CoverRequest",
    "Enrolment",
    "ExamAnswer",
    "ExamAttempt",
    "ExamPaper",
    "GroupMember",
    "MoveRequest",
    "OsceItem",
    "OsceSheet",
    "OsceStation",
    "PaperItem",
    "PracticeAnswer",
    "PracticeSet",
    "Programme",
    "ProgrammeGroup",
    "ProgrammeTutor",
    "Question",
    "QuestionFlag",
    "QuestionReviewer",
    "QuestionVersion",
    "RecordingPlayback",
    "RepetitionSchedule",
    "Resource",
    "ResourceAccess",
    "ResourceVersion",
    "Review",
    "Series",
    "SlotInvitation",
    "SlotRelease",
    "TeachingSession",
    "TeachingSlot",
    "WeeklyAvailability",
]
