"""The support page: open to all, linked from every page's footer and every email, edited by
the committee only, never emptied."""

import pytest
from django.urls import reverse

from meded.notifications.services import render_email
from meded.support.models import SupportPage
from tests.factories import CommitteeFactory, TutorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_page_is_open_to_visitors_and_in_every_footer(client):
    html = client.get(reverse("support")).content.decode()
    assert "If teaching feels like too much" in html
    assert f'href="{reverse("support")}"' in client.get(reverse("home")).content.decode()


def test_the_committee_edits_it_and_an_empty_section_changes_nothing(client):
    client.force_login(CommitteeFactory())
    data = {"wellbeing": "Call 0100", "contacts": "welfare@example.org", "too_much": "Ask us."}
    assert client.post(reverse("support_edit"), data).status_code == 302
    html = client.get(reverse("support")).content.decode()
    assert "Call 0100" in html and 'href="mailto:welfare@example.org"' in html
    response = client.post(reverse("support_edit"), {**data, "contacts": " "})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert SupportPage.objects.get().contacts == "welfare@example.org"


@pytest.mark.parametrize(
    ("role", "status"), [("visitor", 302), ("student", 403), ("tutor", 403), ("committee", 200)]
)
def test_only_the_committee_may_edit(client, role, status):
    users = {"student": UserFactory, "tutor": TutorFactory, "committee": CommitteeFactory}
    if role in users:
        client.force_login(users[role]())
    assert client.get(reverse("support_edit")).status_code == status
    assert client.get(reverse("support")).status_code == 200


def test_deadline_emails_link_to_support():
    tutor = TutorFactory()
    email = render_email(tutor, "ranking_deadline_reminder", {"round": None, "hours_left": 24})
    assert "/support/" in email["body_text"] and "/support/" in email["body_html"]
