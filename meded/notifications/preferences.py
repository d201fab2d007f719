"""Which optional email categories a member receives."""

from meded.models import EmailPreference

from .kinds import CATEGORIES


def enabled_categories(user) -> set[str]:
    off = set(
        EmailPreference.objects.filter(user=user, enabled=False).values_list("category", flat=True)
    )
    return {c for c in CATEGORIES if c not in off}


def set_category(user, category: str, enabled: bool) -> None:
    if category not in CATEGORIES:
        raise ValueError(f"Unknown category {category!r}")
    EmailPreference.objects.update_or_create(
        user=user, category=category, defaults={"enabled": enabled}
    )
