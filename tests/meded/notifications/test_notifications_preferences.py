"""Preferences: a member turns optional categories off at /accounts/notifications/ or with the
one-click unsubscribe link of any optional email (no login needed, signed token)."""

import pytest
from django.urls import reverse

from meded.models import EmailPreference
from meded.notifications import CATEGORIES
from meded.notifications.selectors import enabled_categories
from meded.notifications.tokens import unsubscribe_token
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory

pytestmark = pytest.mark.django_db

PREFS = "/accounts/notifications/"


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(PREFS)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(PREFS, {"categories": []}).status_code == 302
    assert not EmailPreference.objects.exists()


@pytest.mark.parametrize("factory", [UserFactory, TutorFactory, CommitteeFactory])
def test_every_member_sees_every_optional_category_checked_by_default(client, factory):
    client.force_login(factory())
    response = client.get(PREFS)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for key, label in CATEGORIES.items():
        assert f'id="cat-{key}"' in html and f'for="cat-{key}"' in html and label in html
    assert html.count(" checked") == len(CATEGORIES)


def test_saving_turns_off_what_is_unchecked_and_only_for_that_member(client):
    member, other = UserFactory(), UserFactory()
    client.force_login(member)
    response = client.post(PREFS, {"categories": ["feedback", "digests"]}, follow=True)
    assert "Your email preferences are saved." in response.content.decode()
    assert enabled_categories(member) == {"feedback", "digests"}
    assert enabled_categories(other) == set(CATEGORIES)
    html = client.get(PREFS).content.decode()
    assert html.count(" checked") == 2
    client.post(PREFS, {"categories": list(CATEGORIES)})
    assert enabled_categories(member) == set(CATEGORIES)


def test_the_profile_links_to_the_preferences(client):
    client.force_login(UserFactory())
    assert PREFS in client.get(reverse("profile")).content.decode()


def test_one_click_unsubscribe_works_without_login_and_without_csrf(client):
    member = UserFactory()
    url = reverse("unsubscribe", args=[unsubscribe_token(member, "reminders")])
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Done." in response.content.decode()
    assert enabled_categories(member) == set(CATEGORIES) - {"reminders"}


def test_opening_the_link_asks_before_unsubscribing(client):
    """Link scanners follow GET links: only the POST changes anything."""
    member = UserFactory()
    url = reverse("unsubscribe", args=[unsubscribe_token(member, "feedback")])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and 'method="post"' in html
    assert CATEGORIES["feedback"] in html
    assert enabled_categories(member) == set(CATEGORIES)


@pytest.mark.parametrize(
    "token",
    ["not-a-token", "eyJ1IjoxLCJjIjoicmVtaW5kZXJzIn0:1abc:forged", ""],
    ids=["garbage", "forged", "empty-ish"],
)
def test_a_bad_token_is_a_400_and_changes_nothing(client, token):
    member = UserFactory()
    url = f"/accounts/unsubscribe/{token or 'x'}/"
    assert client.post(url).status_code == 400
    assert client.get(url).status_code == 400
    assert enabled_categories(member) == set(CATEGORIES)


def test_a_token_for_a_deleted_member_or_unknown_category_is_a_400(client):
    member = UserFactory()
    gone = unsubscribe_token(member, "reminders")
    bogus = unsubscribe_token(member, "newsletters")
    member.delete()
    assert client.post(reverse("unsubscribe", args=[gone])).status_code == 400
    assert client.post(reverse("unsubscribe", args=[bogus])).status_code == 400


def test_a_token_signed_for_another_purpose_is_refused(client):
    """Only tokens made by unsubscribe_token (its own salt) are accepted."""
    from django.core import signing

    victim = UserFactory()
    other_purpose = signing.dumps({"u": victim.pk, "c": "reminders"}, compress=True)
    assert client.post(reverse("unsubscribe", args=[other_purpose])).status_code == 400
    assert enabled_categories(victim) == set(CATEGORIES)
