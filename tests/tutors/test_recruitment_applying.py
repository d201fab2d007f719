"""Applying: edit until the window closes, a submitted application stays complete, the status
page in every state, and a decision nobody sees before it is released."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from meded.models import SentEmail
from tests.factories import CommitteeFactory, UserFactory
from tests.factories.tutors import (
    APPLICATION_FIELDS,
    ApplicationFactory,
    RecruitmentRoundFactory,
    applications_closed,
)
from tests.support.mailings import confirm_and_release
from tutors.models import Application
from tutors.recruitment.services import RecruitmentError
from tutors.recruitment.services.decisions import record_decisions
from tutors.recruitment.services.recruitment import save_application

pytestmark = pytest.mark.django_db
A = Application.Status
FORM = APPLICATION_FIELDS


def test_a_submitted_application_cannot_be_emptied_by_saving_it_as_a_draft(client):
    RecruitmentRoundFactory()
    member = UserFactory()
    client.force_login(member)
    assert client.post(reverse("tutors_apply"), {**FORM, "submit": "1"}).status_code == 302
    response = client.post(reverse("tutors_apply"), {**FORM, "motivation": "", "save_draft": "1"})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    app = Application.objects.get(applicant=member)
    assert app.status == A.SUBMITTED and app.motivation == FORM["motivation"]


def test_the_service_refuses_to_turn_a_submitted_application_back_into_a_draft():
    round = RecruitmentRoundFactory()
    member = UserFactory()
    save_application(member, round, FORM, {}, submit=True)
    with pytest.raises(RecruitmentError, match="already submitted"):
        save_application(member, round, {**FORM, "motivation": ""}, {}, submit=False)
    assert Application.objects.get(applicant=member).motivation == FORM["motivation"]


def test_an_application_can_be_edited_until_the_window_closes_and_not_after(client):
    round = RecruitmentRoundFactory()
    member = UserFactory()
    client.force_login(member)
    close = round.applications_close
    with time_machine.travel(close - timedelta(minutes=1), tick=False):
        client.post(reverse("tutors_apply"), {**FORM, "submit": "1"})
        client.post(reverse("tutors_apply"), {**FORM, "strengths": "Renal", "submit": "1"})
    app = Application.objects.get(applicant=member)
    assert app.strengths == "Renal"
    with time_machine.travel(close + timedelta(minutes=1), tick=False):
        response = client.post(reverse("tutors_apply"), {**FORM, "strengths": "Neuro"})
        assert "No round is taking applications right now" in response.content.decode()
        html = client.get(reverse("tutors_home")).content.decode()
        assert "Submitted" in html and "You can edit it until then" in html
    app.refresh_from_db()
    assert app.strengths == "Renal"
    assert SentEmail.objects.filter(recipient=member, kind="tutors_application_received").count()


@pytest.mark.parametrize(
    "status,text",
    [
        (A.DRAFT, "it is not sent until you submit it"),
        (A.SUBMITTED, "The committee reviews applications"),
        (A.SHORTLISTED, "Choose an interview time"),
        (A.ACCEPTED, "You are a tutor for"),
        (A.WAITING_LIST, "You are on the waiting list"),
        (A.REJECTED, "apply again"),
        (A.WITHDRAWN, "You withdrew this application"),
    ],
)
def test_the_status_page_says_where_the_application_is_and_what_comes_next(client, status, text):
    app = ApplicationFactory(status=status)
    client.force_login(app.applicant)
    html = client.get(reverse("tutors_home")).content.decode()
    assert app.get_status_display() in html and text in html
    can_withdraw = status in (A.DRAFT, A.SUBMITTED, A.SHORTLISTED, A.WAITING_LIST)
    assert ("Withdraw application" in html) is can_withdraw


def test_an_unsuccessful_applicant_sees_the_feedback_only_once_released(client):
    round = applications_closed(state="interviewing")
    app = ApplicationFactory(round=round, status=A.INTERVIEW_BOOKED)
    record_decisions(
        CommitteeFactory(), [app], "reject", message="Thanks", feedback_note="Practise OSCEs."
    )
    client.force_login(app.applicant)
    assert "Practise OSCEs" not in client.get(reverse("tutors_home")).content.decode()
    assert not SentEmail.objects.filter(kind="tutors_decision").exists()
    confirm_and_release(None, "tutors.release_decisions", round.pk)
    html = client.get(reverse("tutors_home")).content.decode()
    assert "Practise OSCEs" in html and "apply again in a future round" in html
    email = SentEmail.objects.get(recipient=app.applicant, kind="tutors_decision")
    assert "Practise OSCEs" in email.body_text and "apply again" in email.body_html


def test_a_first_visit_starts_from_the_members_year_of_study(client):
    RecruitmentRoundFactory()
    client.force_login(UserFactory(year_of_study="grad"))
    html = client.get(reverse("tutors_apply")).content.decode()
    assert '<option value="grad" selected>' in html
