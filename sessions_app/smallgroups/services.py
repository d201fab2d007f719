"""Availability operations: save a member's week, add or remove a dated exception.

Every change goes through here (views, demo, future imports); each raises a DomainError
subclass with a message a member can act on and changes nothing when it does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction

from meded.errors import DomainError

from .engine.grid import CELLS_PER_WEEK
from .models import AvailabilityException, WeeklyAvailability

EXCEPTION_MAX_DAYS = 366


class AvailabilityError(DomainError):
    pass


def save_week(member, free_cells: Iterable[int]) -> WeeklyAvailability:
    """Replace the member's weekly free cells (any order, duplicates ignored)."""
    cells = sorted(set(free_cells))
    if any(not 0 <= c < CELLS_PER_WEEK for c in cells):
        raise AvailabilityError("A time outside the week was sent; reload the page and try again.")
    with transaction.atomic():
        week, _ = WeeklyAvailability.objects.select_for_update().get_or_create(member=member)
        week.free_cells = cells
        week.save(update_fields=["free_cells", "updated_at"])
    return week


def week_of(member) -> frozenset[int]:
    week = WeeklyAvailability.objects.filter(member=member).first()
    return week.free if week else frozenset()


def add_exception(member, starts_on: date, ends_on: date, label: str = "") -> AvailabilityException:
    """The member is busy on these dates, whatever their week says."""
    if ends_on < starts_on:
        raise AvailabilityError("The last day is before the first day.", field="ends_on")
    if ends_on - starts_on > timedelta(days=EXCEPTION_MAX_DAYS):
        raise AvailabilityError("An exception can last at most a year.", field="ends_on")
    return AvailabilityException.objects.create(
        member=member, starts_on=starts_on, ends_on=ends_on, label=label.strip()[:80]
    )


def remove_exception(member, exception_id: int) -> None:
    deleted, _ = AvailabilityException.objects.filter(member=member, pk=exception_id).delete()
    if not deleted:
        raise AvailabilityError("That exception no longer exists.")
