"""factory_boy factories, one module per app; import them from here."""

from .core import (
    CommitteeFactory,
    ModuleFactory,
    TopicFactory,
    TutorFactory,
    UserFactory,
    year,
)

__all__ = [
    "CommitteeFactory",
    "ModuleFactory",
    "TopicFactory",
    "TutorFactory",
    "UserFactory",
    "year",
]
