import re

import pytest
from django.core import mail
from django.urls import reverse

from meded.models import User
from tests.factories import CommitteeFactory, TutorFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Ada Lovelace",
    "email": "ada@demo.meded.test",
    "year_of_study": "2",
    "password1": "a-long-passphrase-2026",
    "password2": "a-long-passphrase-2026",
}


def test_signup_with_another_domain_is_refused_with_a_clear_message(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": "ada@gmail.com"})
    assert response.status_code == 200
    assert "Please sign up with your university email address (ending @demo.meded.test)" in (
        response.content.decode()
    )
    assert not User.objects.exists()


def test_subdomain_of_an_allowed_domain_is_accepted(client, settings):
    settings.MEDED_EMAIL_DOMAINS = ["uni.ac.uk"]
    client.post(reverse("account_signup"), {**SIGNUP, "email": "ada@student.uni.ac.uk"})
    assert User.objects.filter(email="ada@student.uni.ac.uk").exists()


def test_signup_needs_email_verification_before_login(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="ada@demo.meded.test")
    assert (user.full_name, user.year_of_study) == ("Ada Lovelace", "2")
    assert len(mail.outbox) == 1
    client.logout()
    login = client.post(
        reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )
    assert login.status_code == 302
    assert "confirm-email" in login["Location"]
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    key_path = link.split("testserver", 1)[-1]
    client.post(key_path)
    assert user.emailaddress_set.get().verified


def test_email_login_is_case_insensitive(client):
    UserFactory(email="mixed@demo.meded.test")
    response = client.post(
        reverse("account_login"),
        {"login": "MIXED@demo.meded.test", "password": "test-password-2026"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_profile_edits_name_and_year(client):
    user = UserFactory(year_of_study="3")
    client.force_login(user)
    response = client.post(
        reverse("profile"), {"full_name": "  New Name ", "year_of_study": "ibsc"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.year_of_study) == ("New Name", "ibsc")


def test_profile_rejects_a_blank_name_next_to_the_field(client):
    user = UserFactory(full_name="Kept")
    client.force_login(user)
    response = client.post(reverse("profile"), {"full_name": "  ", "year_of_study": "3"})
    assert response.status_code == 200
    assert "Please enter your name" in response.content.decode()
    user.refresh_from_db()
    assert user.full_name == "Kept"


def test_anonymous_visitor_is_sent_to_login_from_the_profile(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/accounts/profile/")


@pytest.mark.parametrize(
    ("factory", "status"),
    [(None, 302), (UserFactory, 403), (TutorFactory, 403), (CommitteeFactory, 200)],
)
def test_committee_dashboard_permission_for_every_role(client, factory, status):
    if factory:
        client.force_login(factory())
    response = client.get(reverse("committee_dashboard"))
    assert response.status_code == status
    if status == 403:
        assert "This page is for the society&#x27;s committee." in response.content.decode()


def test_superuser_counts_as_committee(client):
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(reverse("committee_dashboard")).status_code == 200


def test_home_for_a_visitor_invites_them_to_join(client):
    response = client.get("/")
    assert "Join with your university email" in response.content.decode()


def test_home_for_a_member_greets_them_and_says_what_to_do_next(client):
    client.force_login(UserFactory(full_name="Priya Patel"))
    body = client.get("/").content.decode()
    assert "Hello, Priya" in body


def test_navigation_shows_committee_link_only_to_committee(client):
    client.force_login(UserFactory())
    assert "/committee/" not in client.get("/").content.decode()
    client.force_login(CommitteeFactory())
    assert 'href="/committee/"' in client.get("/").content.decode()


def test_pages_send_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-eval" not in policy


def test_repeated_failed_logins_are_rate_limited(client):
    user = UserFactory()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "test-password-2026"}
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()
