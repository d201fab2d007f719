"""The demo shows a mass email waiting to go: the chair's scheduled ranking reminder."""

import pytest

from meded.notifications.models import Mailing, SentEmail

pytestmark = pytest.mark.django_db


def test_the_demo_outbox_has_a_scheduled_reminder_to_undo(demo_society, client):
    mailing = Mailing.objects.get(action="tutors.ranking_reminder")
    assert mailing.state == Mailing.State.HELD and mailing.scheduled
    assert mailing.emails.filter(status=SentEmail.Status.HELD).count() == mailing.recipient_count
    client.login(email="committee@demo.meded.test", password="meded-demo-2026")
    html = client.get("/committee/outbox/").content.decode()
    assert mailing.title in html and "Undo" in html
