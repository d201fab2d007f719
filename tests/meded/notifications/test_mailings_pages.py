"""The committee's mass-email pages: preview, confirm, the mailing page with its undo, the
outbox in the society's words; who may open each; the old one-click buttons email nobody."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meded.notifications.models import Mailing, SentEmail
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.sessions import BookingFactory
from tests.factories.tutors import ApplicationFactory, RecruitmentRoundFactory
from tests.support.mailings import confirm_action
from tutors.models import Application, RoundState
from tutors.recruitment.services.decisions import record_decisions

pytestmark = pytest.mark.django_db
RELEASE = "tutors.release_decisions"
ROLES = [(None, 302), (UserFactory, 403), (TutorFactory, 403), (CommitteeFactory, 200)]
ROLE_IDS = ["visitor", "student", "tutor", "committee"]


def decided_round(n: int = 2):
    round = RecruitmentRoundFactory(
        state=RoundState.INTERVIEWING, applications_open=timezone.now() - timedelta(days=30)
    )
    apps = [ApplicationFactory(round=round) for _ in range(n)]
    record_decisions(
        None,
        apps,
        "accept",
        message="Welcome aboard!",
        reason="Known to the committee from peer teaching.",
    )
    return round, apps


def preview_url(round) -> str:
    return reverse("committee_mailing_new", args=[RELEASE, round.pk])


def login(client, role):
    if role is not None:
        client.force_login(role())


@pytest.mark.parametrize(("role", "expected"), ROLES, ids=ROLE_IDS)
def test_who_may_preview_and_confirm(client, role, expected):
    round, _ = decided_round()
    login(client, role)
    assert client.get(preview_url(round)).status_code == expected
    response = client.post(preview_url(round), {"expected": "x", "when": "now"})
    assert response.status_code == (expected if expected != 200 else 200)
    assert Mailing.objects.count() == 0
    assert {a.status for a in Application.objects.all()} == {"submitted"}


@pytest.mark.parametrize(("role", "expected"), ROLES, ids=ROLE_IDS)
def test_who_may_see_and_undo_a_mailing(client, role, expected):
    round, _ = decided_round()
    mailing = confirm_action(CommitteeFactory(), RELEASE, round.pk)
    login(client, role)
    assert client.get(reverse("committee_mailing", args=[mailing.pk])).status_code == expected
    response = client.post(reverse("committee_mailing_undo", args=[mailing.pk]))
    assert response.status_code == (302 if expected == 200 else expected)
    mailing.refresh_from_db()
    assert mailing.state == (Mailing.State.UNDONE if expected == 200 else Mailing.State.HELD)


def test_preview_confirm_undo_through_the_pages(client):
    round, apps = decided_round(2)
    client.force_login(CommitteeFactory())
    page = client.get(preview_url(round)).content.decode()
    assert "Who: 2 people" in page and "Congratulations" in page
    for app in apps:
        assert app.applicant.email in page
    assert SentEmail.objects.count() == 0
    expected = client.get(preview_url(round)).context["preview"].fingerprint
    response = client.post(preview_url(round), {"expected": expected, "when": "now"})
    mailing = Mailing.objects.get()
    assert response.url == reverse("committee_mailing", args=[mailing.pk])
    assert mailing.emails.filter(status=SentEmail.Status.HELD).count() == 2
    assert mail.outbox == []
    detail = client.get(response.url).content.decode()  # and back to where it was sent from
    assert reverse("tutors_committee_applications", args=[round.pk]) in detail
    outbox = client.get(reverse("committee_outbox")).content.decode()
    assert f"Decisions for {round.name}" in outbox and "Undo" in outbox
    response = client.post(reverse("committee_mailing_undo", args=[mailing.pk]), {"next": "outbox"})
    assert response.url == reverse("committee_outbox")
    mailing.refresh_from_db()
    assert mailing.state == Mailing.State.UNDONE
    assert {a.status for a in Application.objects.all()} == {"submitted"}


def test_a_bad_chosen_time_is_shown_next_to_the_field_and_nothing_happens(client):
    round, _ = decided_round()
    client.force_login(CommitteeFactory())
    expected = client.get(preview_url(round)).context["preview"].fingerprint
    past = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    for value, message in ((past, "at least"), ("soon", "Enter a date"), ("", "Choose when")):
        response = client.post(
            preview_url(round), {"expected": expected, "when": "later", "send_at": value}
        )
        assert response.status_code == 200
        assert message in response.context["form"].errors["send_at"][0]
        assert 'aria-invalid="true"' in response.content.decode()
    assert Mailing.objects.count() == 0


def test_a_changed_list_shows_the_new_preview_with_a_message(client):
    round, _ = decided_round()
    client.force_login(CommitteeFactory())
    old = client.get(preview_url(round)).context["preview"].fingerprint
    record_decisions(None, [ApplicationFactory(round=round)], "reject")
    response = client.post(preview_url(round), {"expected": old, "when": "now"})
    assert response.status_code == 200
    assert "changed since you looked" in response.content.decode()
    assert "Who: 3 people" in response.content.decode()
    assert Mailing.objects.count() == 0


def test_unknown_actions_and_targets_are_not_found(client):
    client.force_login(CommitteeFactory())
    assert client.get(reverse("committee_mailing_new", args=["nope", 1])).status_code == 404
    assert client.get(reverse("committee_mailing_new", args=[RELEASE, 999])).status_code == 404


def test_nothing_to_send_goes_back_with_a_message(client):
    round = RecruitmentRoundFactory(state=RoundState.INTERVIEWING)
    client.force_login(CommitteeFactory())
    response = client.get(preview_url(round), follow=True)
    assert "no recorded decisions" in response.content.decode()


def test_the_old_one_click_buttons_email_nobody(client):
    round, _ = decided_round()
    session = BookingFactory().session
    client.force_login(CommitteeFactory())
    response = client.post(reverse("tutors_committee_release", args=[round.pk]))
    assert response.url == preview_url(round)
    response = client.post(
        reverse("sessions_app:committee_cancel", args=[session.pk]), {"confirm": "on"}
    )
    assert response.url == reverse(
        "committee_mailing_new", args=["sessions.cancel_session", session.pk]
    )
    session.refresh_from_db()
    assert session.status == "published"
    assert SentEmail.objects.count() == 0 and Mailing.objects.count() == 0
    assert {a.status for a in Application.objects.all()} == {"submitted"}


def test_the_outbox_speaks_the_societys_words(client):
    round, _ = decided_round()
    confirm_action(None, RELEASE, round.pk)
    client.force_login(CommitteeFactory())
    html = client.get(reverse("committee_outbox")).content.decode()
    assert "The decision on your tutor application" in html
    assert ">tutors_decision" not in html and "tutors.application:" not in html
    assert f"Tutor application to {round.name}" in html
    assert f"Decisions for {round.name}" in html


def test_the_outbox_lists_1_or_20_emails_of_mixed_objects_in_the_same_queries(client):
    client.force_login(CommitteeFactory())

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("committee_outbox")).status_code == 200
        return len(ctx)

    round, _ = decided_round(1)
    confirm_action(None, RELEASE, round.pk)
    booking = BookingFactory()
    confirm_action(None, "sessions.cancel_session", booking.session.pk)
    few = queries()
    for _ in range(9):
        round, _ = decided_round(1)
        confirm_action(None, RELEASE, round.pk)
        confirm_action(None, "sessions.cancel_session", BookingFactory().session.pk)
    assert SentEmail.objects.count() == 20
    assert queries() == few


def test_the_committee_home_shows_failed_emails_once(client):
    user = UserFactory()
    for n in range(2):
        SentEmail.objects.create(
            recipient=user,
            to_email=user.email,
            kind="tutors_decision",
            object_key=f"x.y:{n}",
            status=SentEmail.Status.FAILED,
            subject="s",
            body_text="b",
        )
    client.force_login(CommitteeFactory())
    html = client.get(reverse("committee_dashboard")).content.decode()
    assert "2 emails could not be delivered" in html
    # one item under "Needs you now", not a second alert above it
    assert html.count("?status=failed") == 1
