"""The committee's admin rights come with the committee role, from another committee member,
and open only the models the committee's pages do not cover."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from meded.accounts.committee import CommitteeRoleError, appoint, stand_down
from meded.models import Module, User
from meded.roles import COMMITTEE_GROUP, COMMITTEE_STAFF_GROUP
from tests.factories.core import (
    PASSWORD,
    CommitteeFactory,
    ModuleFactory,
    TutorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _site_login(client, member) -> None:
    response = client.post(
        reverse("account_login") + "?next=/admin/", {"login": member.email, "password": PASSWORD}
    )
    assert response["Location"] == "/admin/"


def test_the_staff_group_exists_after_migrate_with_only_reference_data():
    perms = set(
        Group.objects.get(name=COMMITTEE_STAFF_GROUP).permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    assert ("meded", "change_module") in perms
    assert ("tutors", "change_fasttrackrule") in perms
    # nothing that grants rights or bypasses a service rule
    for forbidden in ("change_user", "add_user", "change_group", "change_booking"):
        assert not any(codename == forbidden for _, codename in perms)


def test_an_appointed_member_reaches_the_admin_through_the_site_login_and_edits_a_module(client):
    member = UserFactory()
    appoint(CommitteeFactory(), member)
    member.refresh_from_db()
    assert member.is_staff
    assert set(member.groups.values_list("name", flat=True)) == {
        COMMITTEE_GROUP,
        COMMITTEE_STAFF_GROUP,
    }
    module = ModuleFactory(name="Cardiology")
    _site_login(client, member)
    assert client.get("/admin/").status_code == 200
    url = reverse("admin:meded_module_change", args=[module.pk])
    response = client.post(url, {"name": "Cardiology and vessels", "slug": module.slug})
    assert response.status_code == 302
    assert Module.objects.get(pk=module.pk).name == "Cardiology and vessels"
    # but not the members: no way to make oneself a superuser
    assert client.get(reverse("admin:meded_user_changelist")).status_code == 403


@pytest.mark.parametrize("make", [UserFactory, TutorFactory])
def test_a_student_or_tutor_gets_no_admin(client, make):
    member = make()
    client.login(email=member.email, password=PASSWORD)
    assert client.get("/admin/login/?next=/admin/").status_code == 403
    assert client.get("/admin/meded/module/").status_code == 302  # to the (refusing) login


def test_nobody_grants_the_committee_role_to_themselves():
    member = UserFactory()
    with pytest.raises(CommitteeRoleError):
        appoint(member, member)  # a student
    chair = CommitteeFactory()
    with pytest.raises(CommitteeRoleError):
        stand_down(chair, chair)
    assert not User.objects.get(pk=member.pk).is_staff


def test_a_student_posting_to_the_committee_page_is_refused(client):
    student = UserFactory()
    client.force_login(student)
    response = client.post(
        reverse("committee_roles"), {"action": "appoint", "email": student.email}
    )
    assert response.status_code == 403
    assert not User.objects.get(pk=student.pk).is_staff


def test_standing_down_takes_the_admin_back(client):
    member = appoint(None, UserFactory())
    client.force_login(CommitteeFactory())
    response = client.post(
        reverse("committee_roles"), {"action": "stand_down", "member": member.pk}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_staff and not member.groups.exists()


def test_the_committee_page_appoints_by_email_and_explains_an_unknown_one(client):
    client.force_login(CommitteeFactory())
    bad = client.post(reverse("committee_roles"), {"action": "appoint", "email": "x@nowhere.ac.uk"})
    assert "No member has signed up with this email." in bad.content.decode()
    member = UserFactory()
    client.post(reverse("committee_roles"), {"action": "appoint", "email": member.email.upper()})
    assert User.objects.get(pk=member.pk).is_staff


def test_the_admin_link_shows_only_to_whom_it_opens(client):
    without = CommitteeFactory()  # committee by the group alone: no staff rights
    client.force_login(without)
    assert reverse("admin:index") not in client.get(reverse("committee_dashboard")).content.decode()
    client.force_login(appoint(None, UserFactory()))
    assert reverse("admin:index") in client.get(reverse("committee_dashboard")).content.decode()
