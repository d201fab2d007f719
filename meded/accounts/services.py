"""Verified year of study: rights come from what the committee verified, never from a member.

A member's year on their profile is what they tell us; `verified_year` is what decides seniority.
It is set when the committee accepts an application (the year the committee reviewed) or when a
committee member approves a change the member asked for.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from meded.errors import DomainError
from meded.roles import COMMITTEE_GROUP, TUTORS_GROUP, is_committee

from .models import User, YearOfStudy


class YearVerificationError(DomainError):
    pass


def record_verified_year(member: User, year: str) -> None:
    """The committee's own decision verified this year (e.g. an accepted application)."""
    if year not in YearOfStudy.values:
        return
    User.objects.filter(pk=member.pk).update(verified_year=year, verified_year_at=timezone.now())
    member.verified_year = year


def approve_year(actor: User, member: User) -> User:
    """Approve the year a member gave as their verified year."""
    if not is_committee(actor):
        raise YearVerificationError("Only the committee can verify a year of study.")
    if actor.pk == member.pk:
        raise YearVerificationError("Another committee member must verify your own year.")
    with transaction.atomic():
        member = User.objects.select_for_update().get(pk=member.pk)
        if member.verified_year == member.year_of_study:
            raise YearVerificationError(f"{member} has no year change waiting.")
        member.verified_year = member.year_of_study
        member.verified_year_at = timezone.now()
        member.save(update_fields=["verified_year", "verified_year_at"])
    return member


def years_to_verify() -> QuerySet[User]:
    """Members whose given year differs from the verified one: tutors and the committee first
    (whose rights depend on it), and anyone who already had a verified year."""
    roles = Q(groups__name__in=[TUTORS_GROUP, COMMITTEE_GROUP])
    return (
        User.objects.exclude(verified_year=F("year_of_study"))
        .filter(roles | ~Q(verified_year=""))
        .distinct()
        .order_by("full_name", "email")
    )


def name_on_hold(member: User) -> bool:
    """True while a recent, unconfirmed name change holds back certificates in that name."""
    if member.name_changed_at is None:
        return False
    hold = timedelta(days=settings.MEDED_CERTIFICATE_NAME_HOLD_DAYS)
    return timezone.now() - member.name_changed_at < hold


def confirm_name(actor: User, member: User) -> User:
    """The committee confirms a member's new name: certificates may use it at once."""
    if not is_committee(actor) or actor.pk == member.pk:
        raise YearVerificationError("Another committee member must confirm a name change.")
    User.objects.filter(pk=member.pk).update(name_changed_at=None)
    member.name_changed_at = None
    return member


def names_to_confirm() -> QuerySet[User]:
    since = timezone.now() - timedelta(days=settings.MEDED_CERTIFICATE_NAME_HOLD_DAYS)
    return User.objects.filter(name_changed_at__gte=since).order_by("-name_changed_at")
