"""A member downloads all their personal data: JSON in a ZIP, with their files."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.urls import reverse

from meded import demo
from meded.models import User
from tests.factories.core import PASSWORD, CommitteeFactory, TutorFactory, UserFactory
from tests.factories.resources import ResourceFactory
from tests.factories.sessions import BookingFactory

pytestmark = pytest.mark.django_db


def _archive(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_a_member_downloads_their_records_and_files(client):
    tutor = TutorFactory(full_name="Priya Tutor")
    booking = BookingFactory(student=tutor)
    BookingFactory()  # someone else's
    resource = ResourceFactory(uploaded_by=tutor, with_file=True, title="Renal slides")
    client.login(email=tutor.email, password=PASSWORD)
    assert reverse("my_data") in client.get(reverse("profile")).content.decode()
    response = client.get(reverse("my_data"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = _archive(response)
    data = json.loads(archive.read("personal-data.json"))
    assert data["member"]["fields"]["full_name"] == "Priya Tutor"
    assert "password" not in data["member"]["fields"]
    assert "calendar_token" not in data["member"]["fields"]
    bookings = data["records"]["sessions_app.Booking"]
    assert [b["pk"] for b in bookings] == [booking.pk]
    assert [r["pk"] for r in data["records"]["sessions_app.Resource"]] == [resource.pk]
    version = resource.versions.get()
    assert f"files/{version.file.name}" in archive.namelist()


@pytest.mark.parametrize("role", ["student", "tutor", "committee"])
def test_every_member_gets_only_their_own(client, role):
    member = {"student": UserFactory, "tutor": TutorFactory, "committee": CommitteeFactory}[role]()
    other = BookingFactory()
    client.login(email=member.email, password=PASSWORD)
    data = json.loads(_archive(client.get(reverse("my_data"))).read("personal-data.json"))
    assert data["member"]["pk"] == member.pk
    ids = [b["pk"] for b in data["records"].get("sessions_app.Booking", [])]
    assert other.pk not in ids


def test_a_visitor_is_sent_to_log_in(client):
    assert client.get(reverse("my_data")).status_code == 302


def test_a_file_two_records_point_at_is_in_the_archive_once(client, demo_society):
    # The demo tutor's recording has captions; the recording and its version both lead to them.
    client.force_login(User.objects.get(email=demo.TUTOR_EMAIL))
    names = _archive(client.get(reverse("my_data"))).namelist()
    assert any("/captions/" in name for name in names)
    assert len(names) == len(set(names))
