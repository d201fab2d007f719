"""Topic offerings of a round: bulk creation from the curriculum, edits and removal."""

from __future__ import annotations

from django.db import transaction

from meded.errors import DomainError
from meded.models import Topic
from tutors.models import Offering, RecruitmentRound, RoundState

EDITABLE_STATES = {
    RoundState.DRAFT,
    RoundState.APPLICATIONS_OPEN,
    RoundState.INTERVIEWING,
    RoundState.RANKING,
    RoundState.ALLOCATION,
}


class OfferingError(DomainError):
    """The change was refused; the message is shown to the committee as is."""


def _check_editable(round: RecruitmentRound) -> None:
    if round.state not in EDITABLE_STATES:
        raise OfferingError("Offerings cannot change once the allocation is published.")


def create_from_curriculum(
    round: RecruitmentRound,
    *,
    module=None,
    year=None,
    capacity: int = 1,
    format: str = Offering.Format.LECTURE,
    min_tutor_year: int | None = None,
) -> tuple[int, int]:
    """One offering per curriculum topic of the module and/or year; returns (created, skipped).

    Topics already offered in the round are left as they are (skipped), so it is safe to
    run twice.
    """
    _check_editable(round)
    if module is None and year is None:
        raise OfferingError("Choose a module, a year, or both.")
    if capacity < 1:
        raise OfferingError("Each offering needs at least one tutor.")
    topics = Topic.objects.all()
    if module is not None:
        topics = topics.filter(module=module)
    if year is not None:
        topics = topics.filter(years=year)
    topic_ids = set(topics.values_list("pk", flat=True))
    with transaction.atomic():
        existing = set(
            Offering.objects.filter(round=round, topic_id__in=topic_ids).values_list(
                "topic_id", flat=True
            )
        )
        new = sorted(topic_ids - existing)
        Offering.objects.bulk_create(
            [
                Offering(
                    round=round,
                    topic_id=t,
                    capacity=capacity,
                    format=format,
                    min_tutor_year=min_tutor_year,
                )
                for t in new
            ],
            ignore_conflicts=True,
        )
    return len(new), len(existing)


def update_offering(offering: Offering, *, capacity: int, format: str, min_tutor_year) -> Offering:
    _check_editable(offering.round)
    if capacity < 1:
        raise OfferingError("Each offering needs at least one tutor.")
    offering.capacity = capacity
    offering.format = format
    offering.min_tutor_year = min_tutor_year
    offering.save(update_fields=["capacity", "format", "min_tutor_year"])
    return offering


def delete_offering(offering: Offering) -> None:
    """Remove an offering (and the rankings of it: tutors then rank one topic fewer)."""
    _check_editable(offering.round)
    if offering.allocated_topics.filter(run__is_published=True).exists():
        raise OfferingError("This offering is part of a published allocation.")
    offering.delete()
