"""Nothing the society must keep is lost by a delete in the Django admin: a session with
bookings or feedback is cancelled, not deleted; a member with bookings, a published allocation
or a certificate is erased, not deleted; a published allocation run and bookings cannot be
deleted there at all. Each test plays the delete as a superuser would."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Certificate, Response
from feedback.services.certificates import issue_teaching_certificate
from meded.accounts.models import User
from sessions_app.models import Booking, TeachingSession
from tests.factories.core import UserFactory
from tests.factories.feedback import give_feedback, past_session
from tests.factories.sessions import BookingFactory, TeachingSessionFactory
from tests.meded.privacy.test_erasure import _published_allocation
from tutors.models import AllocatedTopic, AllocationRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def _delete(client, model, pk):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_delete", args=[pk])
    return client.get(url), client.post(url, {"post": "yes"})


def test_a_session_with_bookings_is_not_deleted_and_the_admin_says_cancel_it(admin_client):
    session = TeachingSessionFactory()
    BookingFactory(session=session)
    page, post = _delete(admin_client, TeachingSession, session.pk)
    assert "cancel it instead" in page.content.decode()
    assert TeachingSession.objects.filter(pk=session.pk).exists()
    assert Booking.objects.filter(session=session).count() == 1
    assert post.status_code in (200, 403)


def test_a_session_with_feedback_is_not_deleted(admin_client):
    session, students = past_session(attendees=1)
    give_feedback(students[0], session)
    Booking.objects.filter(session=session).update(status="cancelled")
    responses = Response.objects.filter(session=session).count()
    _delete(admin_client, TeachingSession, session.pk)
    assert TeachingSession.objects.filter(pk=session.pk).exists()
    assert Response.objects.filter(session=session).count() == responses == 1


def test_an_empty_draft_session_can_still_be_deleted(admin_client):
    session = TeachingSessionFactory(status=TeachingSession.Status.DRAFT)
    _delete(admin_client, TeachingSession, session.pk)
    assert not TeachingSession.objects.filter(pk=session.pk).exists()


def test_deleting_a_tutor_keeps_their_published_allocation_and_certificate(admin_client):
    tutor_session, _ = past_session(attendees=2)
    tutor = tutor_session.tutors.get()
    today = timezone.now().date()
    issue_teaching_certificate(tutor, today - timedelta(days=30), today)
    pair = _published_allocation(tutor)
    page, _post = _delete(admin_client, User, tutor.pk)
    assert "erase their account instead" in page.content.decode()
    assert User.objects.filter(pk=tutor.pk).exists()
    assert AllocatedTopic.objects.filter(pk=pair.pk).exists()
    assert Certificate.objects.filter(user=tutor).count() == 1


def test_a_published_run_and_a_booking_cannot_be_deleted_in_the_admin(admin_client):
    pair = _published_allocation(UserFactory())
    _page, post = _delete(admin_client, AllocationRun, pair.run_id)
    assert post.status_code == 403
    assert AllocatedTopic.objects.filter(pk=pair.pk).exists()
    booking = BookingFactory()
    _page, post = _delete(admin_client, Booking, booking.pk)
    assert post.status_code == 403
    assert Booking.objects.filter(pk=booking.pk).exists()
