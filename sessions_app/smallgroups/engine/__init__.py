"""The small-group engine: pure Python (no Django), exact via OR-Tools CP-SAT.

`form_groups(inputs)` forms groups of students around tutors and gives each a weekly start on
the 30-minute grid inside everyone's free time. It places the maximum number of students
(proven optimal) and, among those answers, the most balanced group sizes.
"""

from .grid import CELLS_PER_DAY, DAY_NAMES, cell_label, parse_day, parse_time
from .hand import hand_method
from .inputs import EngineError, GroupInputs, LockedGroup, Person, TutorInput
from .results import Group, GroupResult, Unplaced, UnplacedReason
from .solver import form_groups

__all__ = [
    "CELLS_PER_DAY",
    "DAY_NAMES",
    "EngineError",
    "Group",
    "GroupInputs",
    "GroupResult",
    "LockedGroup",
    "Person",
    "TutorInput",
    "Unplaced",
    "UnplacedReason",
    "cell_label",
    "form_groups",
    "hand_method",
    "parse_day",
    "parse_time",
]
