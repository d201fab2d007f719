"""Leak 2: the outbox shows feedback requests and reminders as counts per session, never whom
they went to (requests go to those who have not answered, so recipients name who has)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from feedback.emails import send_due_feedback_requests
from meded.models import SentEmail
from tests.factories.core import CommitteeFactory
from tests.factories.feedback import give_feedback, past_session
from tests.support import html as parsed
from tests.support.notifications import send_queued

pytestmark = pytest.mark.django_db


def test_the_outbox_counts_feedback_requests_and_reminders_without_recipients(client):
    session, students = past_session(attendees=5, days_ago=1)
    for student in students[:2]:
        give_feedback(student, session)
    send_due_feedback_requests()
    with time_machine.travel(session.ends_at + timedelta(days=5), tick=False):
        give_feedback(students[2], session)  # a late answer
        send_due_feedback_requests()
    send_queued()
    asked = SentEmail.objects.filter(kind="feedback_request").count()
    reminded = SentEmail.objects.filter(kind="feedback_reminder").count()
    assert (asked, reminded) == (3, 2)

    committee = CommitteeFactory()
    client.force_login(committee)
    for query in ({}, {"kind": "feedback_request"}, {"kind": "feedback_reminder"}):
        html = client.get(reverse("committee_outbox"), query).content.decode()
        for student in students:
            assert student.email not in html and student.full_name not in html
    page = client.get(reverse("committee_outbox")).content.decode()
    cells = " ".join(e.text for e in parsed.elements(page, "td"))
    assert f"How was {session.title}? Tell us in two minutes feedback_request 3" in cells
    assert "feedback_reminder 2" in cells

    admin = CommitteeFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    changelist = client.get(reverse("admin:meded_sentemail_changelist")).content.decode()
    for student in students:
        assert student.email not in changelist
