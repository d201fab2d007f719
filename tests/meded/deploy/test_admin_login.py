"""The Django admin signs in through the site's login: one set of rate limits and checks."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.factories.core import PASSWORD, CommitteeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_member(db):
    member = CommitteeFactory()
    member.is_staff = True
    member.save(update_fields=["is_staff"])
    return member


def test_the_admin_login_page_is_the_site_login(client):
    response = client.get("/admin/login/?next=/admin/meded/user/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2Fmeded%2Fuser%2F"


def test_the_admin_never_checks_a_password_itself(client, admin_member):
    for _ in range(60):
        response = client.post(
            "/admin/login/", {"username": admin_member.email, "password": "a-wrong-guess"}
        )
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    right = client.post("/admin/login/", {"username": admin_member.email, "password": PASSWORD})
    assert right.status_code == 302 and "_auth_user_id" not in client.session


def test_a_locked_account_cannot_get_in_through_the_admin(client, admin_member):
    for _ in range(6):
        client.post(
            reverse("account_login"), {"login": admin_member.email, "password": "a-wrong-guess"}
        )
    client.post("/admin/login/", {"username": admin_member.email, "password": PASSWORD})
    login = client.post(
        reverse("account_login"), {"login": admin_member.email, "password": PASSWORD}
    )
    assert "Too many failed login attempts" in login.content.decode()
    assert client.get("/admin/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_unverified_email_gets_no_admin(client, admin_member):
    EmailAddress.objects.filter(user=admin_member).update(verified=False)
    client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": admin_member.email, "password": PASSWORD},
    )
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_after_the_site_login_the_admin_opens(client, admin_member):
    response = client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": admin_member.email, "password": PASSWORD},
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/?next=/admin/meded/").headers["Location"] == "/admin/meded/"


def test_a_member_without_admin_rights_gets_a_reason_not_a_loop(client):
    client.login(email=UserFactory().email, password=PASSWORD)
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 403
    assert "admin rights" in response.content.decode()


def test_the_admin_login_does_not_redirect_off_site(client):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2F"
