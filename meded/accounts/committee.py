"""Who is on the committee: appointed and stood down by another committee member, never by
themselves. The same step gives (or takes) the Django admin: `is_staff` and the "Committee
staff" group, whose model permissions cover only what the committee's pages do not.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q, QuerySet

from meded.errors import DomainError
from meded.roles import COMMITTEE_GROUP, COMMITTEE_STAFF_GROUP, forget_roles, is_committee

from .models import User

# What the admin is for: reference data with no page of its own. Nothing that bypasses a
# service rule (bookings, applications, decisions, allocation) and nothing that grants rights
# (users, groups, permissions): a staff member cannot make themselves a superuser.
STAFF_PERMISSIONS: tuple[str, ...] = (
    "meded.view_year",
    "meded.change_year",
    "meded.view_module",
    "meded.add_module",
    "meded.change_module",
    "meded.view_topic",
    "meded.add_topic",
    "meded.change_topic",
    "meded.view_emailpreference",
    "sessions_app.view_series",
    "sessions_app.add_series",
    "sessions_app.change_series",
    "tutors.view_fasttrackrule",
    "tutors.add_fasttrackrule",
    "tutors.change_fasttrackrule",
    "tutors.delete_fasttrackrule",
)


class CommitteeRoleError(DomainError):
    pass


def sync_staff_group(**kwargs) -> Group:
    """A `post_migrate` receiver: the group exists with exactly STAFF_PERMISSIONS (after every
    app's permissions were created, which a data migration cannot rely on)."""
    group, _ = Group.objects.get_or_create(name=COMMITTEE_STAFF_GROUP)
    wanted = Q()
    for dotted in STAFF_PERMISSIONS:
        app_label, codename = dotted.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.set(Permission.objects.filter(wanted))
    return group


def _check_actor(actor: User | None, member: User) -> None:
    """None is the system itself (seed_demo, a command run by whoever runs the server)."""
    if actor is None:
        return
    if not is_committee(actor):
        raise CommitteeRoleError("Only the committee can change who is on the committee.")
    if actor.pk == member.pk:
        raise CommitteeRoleError("Another committee member must change your own role.")


def appoint(actor: User | None, member: User) -> User:
    """Make a member committee: the committee pages, and the admin for what they do not cover."""
    _check_actor(actor, member)
    if not member.is_active:
        raise CommitteeRoleError("This account is closed.", field="email")
    with transaction.atomic():
        member = User.objects.select_for_update().get(pk=member.pk)
        member.groups.add(
            Group.objects.get_or_create(name=COMMITTEE_GROUP)[0],
            sync_staff_group(),
        )
        if not member.is_staff:
            member.is_staff = True
            member.save(update_fields=["is_staff"])
    forget_roles(member)
    return member


def stand_down(actor: User | None, member: User) -> User:
    """Take the committee role back, and with it the admin (a superuser keeps theirs)."""
    _check_actor(actor, member)
    with transaction.atomic():
        member = User.objects.select_for_update().get(pk=member.pk)
        member.groups.remove(
            *Group.objects.filter(name__in=[COMMITTEE_GROUP, COMMITTEE_STAFF_GROUP])
        )
        if member.is_staff and not member.is_superuser:
            member.is_staff = False
            member.save(update_fields=["is_staff"])
    forget_roles(member)
    return member


def committee_members() -> QuerySet[User]:
    return User.objects.filter(groups__name=COMMITTEE_GROUP).order_by("full_name", "email")


def admin_usable(user) -> bool:
    """The admin link shows only to whom it opens."""
    return bool(getattr(user, "is_active", False) and getattr(user, "is_staff", False))
