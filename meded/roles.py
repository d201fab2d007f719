"""Roles and the permission helpers every app uses.

student: every signed-in member. tutor: member of the "Tutors" group (the tutors app adds a
member when their application is accepted). committee: member of the "Committee" group, or a
superuser. A denied member gets a 403 page that says why; a visitor is sent to log in.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from meded.prepared import Prepared

COMMITTEE_GROUP = "Committee"
TUTORS_GROUP = "Tutors"
# Model permissions in the Django admin for what the committee's pages do not cover; granted
# with the committee role by meded/accounts/committee.py, never by hand.
COMMITTEE_STAFF_GROUP = "Committee staff"

COMMITTEE_ONLY = "This page is for the society's committee."
TUTORS_ONLY = "This page is for the society's tutors. Apply to teach at /tutors/apply/."


def _group_names(user_pk: int):
    from django.contrib.auth.models import Group

    return Group.objects.filter(user=user_pk).values_list("name")


# Read once per request by nearly every page (its menu, its permission check): compiled once
# per process, not per request (the ORM's compiling cost more than the query).
_GROUP_NAMES = Prepared(_group_names, 1)


def _groups(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_meded_groups", None)
    if cached is None:
        cached = {name for (name,) in _GROUP_NAMES.rows(user.pk)}
        user._meded_groups = cached
    return cached


def is_committee(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or COMMITTEE_GROUP in _groups(user)
    )


def is_tutor(user) -> bool:
    return TUTORS_GROUP in _groups(user)


def forget_roles(user) -> None:
    """Drop the per-request cache after changing a member's groups."""
    if hasattr(user, "_meded_groups"):
        del user._meded_groups


def _check(request, test, reason):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not test(request.user):
        raise PermissionDenied(reason)
    return None


def member_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return _check(request, lambda u: True, "") or view(request, *args, **kwargs)

    return wrapper


def committee_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return _check(request, is_committee, COMMITTEE_ONLY) or view(request, *args, **kwargs)

    return wrapper


def tutor_required(view):
    """Tutors, and the committee (who act for tutors)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        test = lambda u: is_tutor(u) or is_committee(u)  # noqa: E731
        return _check(request, test, TUTORS_ONLY) or view(request, *args, **kwargs)

    return wrapper


class RoleRequiredMixin(AccessMixin):
    denied_reason = ""

    def has_role(self, user) -> bool:
        return True

    def dispatch(self, request, *args, **kwargs):
        denied = _check(request, self.has_role, self.denied_reason)
        if denied is not None:
            return denied
        return super().dispatch(request, *args, **kwargs)


class MemberRequiredMixin(RoleRequiredMixin):
    pass


class CommitteeRequiredMixin(RoleRequiredMixin):
    denied_reason = COMMITTEE_ONLY

    def has_role(self, user) -> bool:
        return is_committee(user)


class TutorRequiredMixin(RoleRequiredMixin):
    denied_reason = TUTORS_ONLY

    def has_role(self, user) -> bool:
        return is_tutor(user) or is_committee(user)
