"""The header and footer are memoised per process: each visitor still gets their own name, menu,
current page and a sign-out token that works for them."""

import re

import pytest
from django.test import Client

from meded.accounts.committee import appoint
from meded.templatetags.meded_layout import nav_active
from tests.factories.core import CommitteeFactory, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def current(html: str) -> list[str]:
    """The main menu's current item(s)."""
    header = html[html.index("<header>") : html.index("</header>")]
    return re.findall(r'aria-current="page"[^>]*>([^<]+)<', header)


@pytest.mark.parametrize(
    ("path", "active"),
    [
        ("/", "home"),
        ("/sessions/3/", "sessions"),
        ("/resources/", "resources"),
        ("/questions/practice/", "questions"),
        ("/feedback/mine/teaching/", "feedback"),
        ("/mentoring/", "mentoring"),
        ("/committee/rounds/", "committee"),
        ("/tutors/apply/", "apply"),
        ("/tutors/rankings/", "teaching"),
        ("/privacy/", ""),
    ],
)
def test_the_menu_marks_the_section_of_the_page(path, active):
    assert nav_active(path) == active


def test_two_members_see_their_own_name_and_the_page_they_are_on():
    ada = UserFactory(full_name="Ada Lovelace")
    grace = UserFactory(full_name="Grace Hopper")
    first = signed_in(ada).get("/sessions/").content.decode()
    second = signed_in(grace).get("/sessions/").content.decode()
    assert "Ada" in first and "Grace" not in first
    assert "Grace" in second and "Ada" not in second
    assert current(first) == ["Sessions"]
    assert current(signed_in(grace).get("/resources/").content.decode()) == ["Resources"]


def test_the_sign_out_token_works_for_each_visitor():
    for member in (UserFactory(), UserFactory()):
        client = signed_in(member)
        html = client.get("/privacy/").content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session


def test_a_new_committee_member_sees_the_committee_menu_at_once():
    member = UserFactory()
    client = signed_in(member)
    assert "Committee</a>" not in client.get("/").content.decode()
    appoint(CommitteeFactory(), member)
    assert "Committee</a>" in client.get("/").content.decode()
