"""Requests as the deployed site sees them: proxies, the login lockout, Redis going away and
private files handed to nginx."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.core import PASSWORD, CommitteeFactory, UserFactory
from tests.factories.resources import ResourceFactory
from tests.support.caches import UNREACHABLE_REDIS

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
OWN_MACHINE = "198.51.100.20"


def _login(client, email, password, ip, **headers):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip, **headers
    )


def test_a_client_cannot_claim_https_when_no_proxy_is_declared(client, settings):
    assert getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is None  # none declared in tests
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("account_login"), headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_nobody_can_lock_a_committee_member_out_from_another_machine(client):
    member = CommitteeFactory()
    for _ in range(6):
        _login(client, member.email, "a-wrong-guess", ATTACKER)
    refused = _login(client, member.email, PASSWORD, ATTACKER)
    assert refused.status_code == 200  # the attacker's own machine is throttled
    assert "Too many failed login attempts" in refused.content.decode()
    own = _login(client, member.email, PASSWORD, OWN_MACHINE)
    assert own.status_code == 302 and own["Location"] == reverse("home")


def test_one_address_guessing_many_accounts_is_stopped(client):
    members = [UserFactory() for _ in range(11)]
    for member in members[:10]:
        _login(client, member.email, "a-wrong-guess", ATTACKER)
    refused = _login(client, members[10].email, PASSWORD, ATTACKER)
    assert refused.status_code == 200
    assert "Too many failed login attempts" in refused.content.decode()


def test_behind_the_proxy_limits_key_on_the_real_client(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    member = CommitteeFactory()
    proxy = "172.18.0.5"
    for _ in range(6):  # the attacker also forges an X-Forwarded-For entry of the victim's
        _login(
            client,
            member.email,
            "a-wrong-guess",
            proxy,
            HTTP_X_FORWARDED_FOR=f"{OWN_MACHINE}, {ATTACKER}",
        )
    own = _login(client, member.email, PASSWORD, proxy, HTTP_X_FORWARDED_FOR=OWN_MACHINE)
    assert own.status_code == 302


def test_login_works_while_redis_is_down(client, settings):
    settings.CACHES = UNREACHABLE_REDIS
    member = UserFactory()
    for _ in range(6):  # limits still hold, in this process's memory
        _login(client, member.email, "a-wrong-guess", ATTACKER)
    assert "Too many failed" in _login(client, member.email, PASSWORD, ATTACKER).content.decode()
    response = _login(client, member.email, PASSWORD, OWN_MACHINE)
    assert response.status_code == 302


def test_private_files_are_handed_to_nginx_after_the_permission_check(client, settings):
    settings.MEDED_X_ACCEL_REDIRECT_PREFIX = "/_private-media/"
    resource = ResourceFactory(with_file=True, title="Renal slides")
    version = resource.versions.get()
    url = f"/resources/{resource.pk}/download/"
    assert client.get(url).status_code == 302  # a visitor is sent to log in, no header
    client.login(email=UserFactory().email, password=PASSWORD)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private-media/{version.file.name}"
    assert response.content == b""
    assert "no-store" in response["Cache-Control"]
