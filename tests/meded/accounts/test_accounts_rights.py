"""Rights nobody can grant themselves: a verified year, one mailbox one member, honest names."""

from __future__ import annotations

import pytest
from django.urls import reverse

from feedback.services.observations import can_observe_as_senior
from meded.accounts.adapter import mailbox
from meded.accounts.services import YearVerificationError, approve_year
from meded.accounts.validators import hidden_characters
from meded.models import User
from tests.factories.core import PASSWORD, CommitteeFactory, TutorFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Ada Lovelace",
    "year_of_study": "2",
    "password1": "a-long-passphrase-2026",
    "password2": "a-long-passphrase-2026",
}


def test_a_tutor_who_types_a_senior_year_gains_no_seniority(client):
    tutor = TutorFactory(year_of_study="2")  # verified as year 2
    assert not can_observe_as_senior(tutor)
    client.login(email=tutor.email, password=PASSWORD)
    client.post(reverse("profile"), {"full_name": tutor.full_name, "year_of_study": "6"})
    tutor = User.objects.get(pk=tutor.pk)
    assert tutor.year_of_study == "6" and tutor.verified_year == "2"
    assert tutor.seniority == 2 and not can_observe_as_senior(tutor)
    page = client.get(reverse("profile")).content.decode()
    assert "waiting for the committee" in page


def test_the_committee_approves_a_year_change_and_the_right_follows(client):
    tutor = TutorFactory(year_of_study="2")
    User.objects.filter(pk=tutor.pk).update(year_of_study="6")
    chair = CommitteeFactory()
    client.login(email=chair.email, password=PASSWORD)
    page = client.get(reverse("committee_years"))
    assert tutor.email in page.content.decode()
    response = client.post(reverse("committee_years"), {"member": tutor.pk})
    assert response.status_code == 302
    tutor = User.objects.get(pk=tutor.pk)
    assert tutor.verified_year == "6" and can_observe_as_senior(tutor)
    assert tutor.email not in client.get(reverse("committee_years")).content.decode()


def test_nobody_verifies_their_own_year():
    chair = CommitteeFactory()
    User.objects.filter(pk=chair.pk).update(year_of_study="2")
    with pytest.raises(YearVerificationError, match="Another committee member"):
        approve_year(chair, User.objects.get(pk=chair.pk))
    with pytest.raises(YearVerificationError, match="Only the committee"):
        approve_year(UserFactory(), chair)


@pytest.mark.parametrize("role", ["visitor", "student", "tutor"])
def test_only_the_committee_opens_the_years_page(client, role):
    if role != "visitor":
        member = {"student": UserFactory, "tutor": TutorFactory}[role]()
        client.login(email=member.email, password=PASSWORD)
    target = UserFactory()
    User.objects.filter(pk=target.pk).update(year_of_study="6")
    assert client.get(reverse("committee_years")).status_code in (302, 403)
    client.post(reverse("committee_years"), {"member": target.pk})
    assert User.objects.get(pk=target.pk).verified_year == "3"


def test_a_new_member_starts_unverified(client):
    client.post(reverse("account_signup"), {**SIGNUP, "email": "new@demo.meded.test"})
    member = User.objects.get(email="new@demo.meded.test")
    assert member.verified_year == "" and member.seniority == 0


@pytest.mark.parametrize(
    "variant", ["ada+tutors@demo.meded.test", "ADA+x@Demo.Meded.Test", "Ada@demo.meded.test"]
)
def test_one_mailbox_is_one_member(client, variant):
    UserFactory(email="ada@demo.meded.test")
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": variant})
    assert User.objects.count() == 1  # a plain case variant gets allauth's "already exists" mail
    if "+" in variant:
        assert "delivers to the mailbox of an existing account" in response.content.decode()
    assert mailbox(variant) == "ada@demo.meded.test"


def test_a_plain_address_after_a_plus_address_is_the_same_member(client):
    UserFactory(email="ada+med@demo.meded.test")
    client.post(reverse("account_signup"), {**SIGNUP, "email": "ada@demo.meded.test"})
    assert User.objects.count() == 1


def test_a_different_mailbox_is_a_different_member(client):
    UserFactory(email="ada@demo.meded.test")
    client.post(reverse("account_signup"), {**SIGNUP, "email": "adam@demo.meded.test"})
    assert User.objects.count() == 2


@pytest.mark.parametrize(
    "name", ["Ada\u202eecalevoL", "Ada\u200bLovelace", "Ada\x07", "Ada\u2066Lovelace", "A\ufeffda"]
)
def test_names_that_hide_or_reorder_characters_are_refused(client, name):
    member = UserFactory(full_name="Ada Lovelace")
    client.login(email=member.email, password=PASSWORD)
    response = client.post(reverse("profile"), {"full_name": name, "year_of_study": "3"})
    assert response.status_code == 200
    assert "invisible or direction-changing characters" in response.content.decode()
    assert User.objects.get(pk=member.pk).full_name == "Ada Lovelace"
    client.logout()
    signup = client.post(
        reverse("account_signup"), {**SIGNUP, "full_name": name, "email": "x@demo.meded.test"}
    )
    assert "invisible or direction-changing" in signup.content.decode()


def test_names_as_people_write_them_are_accepted():
    for name in [
        "Siobhán Ní Bhraonáin",
        "José-María O'Connor",
        "محمد علي",
        "李小龍",
        "Zoë Ångström",
    ]:
        assert hidden_characters(name) == []
