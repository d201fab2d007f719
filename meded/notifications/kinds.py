"""Registry of email kinds: what each email is, and whether a member may turn it off.

Periodic "what is due" work is not registered here: it is a `meded.signals.periodic_task`
receiver in the app that owns the rule.
"""

from dataclasses import dataclass

# Optional categories a member may turn off (/accounts/notifications/). A kind with
# category None is transactional: it is always sent.
CATEGORIES: dict[str, str] = {
    "reminders": "Reminders before sessions you have booked",
    "feedback": "Requests for feedback after a session",
    "tutoring": "Reminders for tutors: slides to upload, rankings to submit",
    "digests": "Occasional digests of new sessions for your year",
    "checkins": "Light check-ins from mentoring and buddy schemes (have you met?)",
}


@dataclass(frozen=True)
class Kind:
    name: str
    description: str
    category: str | None = None  # None: transactional, cannot be turned off
    # Shown to the committee only as counts per object, never who got it: feedback requests go
    # to those who have not answered, so the list of recipients would say who has.
    counted: bool = False

    @property
    def optional(self) -> bool:
        return self.category is not None


_KINDS: dict[str, Kind] = {}


def register_kind(
    name: str, description: str, category: str | None = None, *, counted: bool = False
) -> Kind:
    if category is not None and category not in CATEGORIES:
        raise ValueError(f"Unknown email category {category!r} for kind {name!r}.")
    kind = Kind(name, description, category, counted)
    _KINDS[name] = kind
    return kind


def get_kind(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"Email kind {name!r} is not registered.") from None


def registered_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: k.name)


# How the outbox names what an email is about: "app_label.model" -> loader(pks) -> {pk: title}.
# An app registers one when str() of its model is not what the committee should read, or would
# need another query per row; otherwise the outbox uses str() of the object.
_TITLES: dict[str, object] = {}


def register_object_title(label: str, loader) -> None:
    """`loader(pks: list[int]) -> dict[int, str]`, one query for all the rows of a page."""
    _TITLES[label.lower()] = loader


def object_title_loader(label: str):
    return _TITLES.get(label.lower())


def counted_kinds() -> list[str]:
    """Kinds the outbox shows only as counts (see Kind.counted)."""
    return sorted(k.name for k in _KINDS.values() if k.counted)
