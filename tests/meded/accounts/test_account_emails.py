"""allauth's emails carry the society's name and site address, in text and in HTML."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Ada Lovelace",
    "email": "ada@demo.meded.test",
    "year_of_study": "2",
    "password1": "a-long-passphrase-2026",
    "password2": "a-long-passphrase-2026",
}


@pytest.fixture
def society(settings):
    settings.SOCIETY_NAME = "Northgate Peer Teaching"
    settings.SITE_URL = "https://teach.northgate.example"
    settings.ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Northgate Peer Teaching] "


def check(message):
    assert "Northgate Peer Teaching" in message.body
    assert "https://teach.northgate.example" in message.body
    assert "127.0.0.1" not in message.body and "testserver!" not in message.body
    html = dict((mime, body) for body, mime in message.alternatives)["text/html"]
    assert "Northgate Peer Teaching" in html and 'href="https://teach.northgate.example"' in html
    assert message.subject.startswith("[Northgate Peer Teaching]")
    return html


def test_the_verification_email_carries_the_society(client, society):
    client.post(reverse("account_signup"), SIGNUP)
    (message,) = mail.outbox
    html = check(message)
    assert "Hello from Northgate Peer Teaching" in message.body
    assert "/accounts/confirm-email/" in html and "<a href=" in html  # the link is clickable


def test_the_password_reset_email_carries_the_society(client, society):
    user = UserFactory(email="bea@demo.meded.test")
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    client.post(reverse("account_reset_password"), {"email": user.email})
    (message,) = mail.outbox
    html = check(message)
    assert "/accounts/password/reset/key/" in message.body and "reset/key/" in html


def test_html_escapes_what_the_text_contains(client, society):
    client.post(reverse("account_signup"), {**SIGNUP, "full_name": "<b>Eve</b>"})
    (message,) = mail.outbox
    html = dict((mime, body) for body, mime in message.alternatives)["text/html"]
    assert "<b>Eve</b>" not in html
