"""A member deletes their account: nothing personal stays anywhere in the database, the
society's history (attendance, anonymous feedback, allocations, certificates) stays consistent,
and a certificate already issued still verifies against the name printed on it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from feedback.models import Certificate, HasAnswered, Response
from feedback.portfolio.models import Reflection
from feedback.services.certificates import issue_teaching_certificate
from meded.accounts import erasure
from meded.accounts.models import User
from meded.errors import DomainError
from sessions_app.booking import services as booking
from sessions_app.models import Booking
from sessions_app.smallgroups.models import WeeklyAvailability
from tests.factories.core import PASSWORD, CommitteeFactory, TutorFactory, UserFactory
from tests.factories.feedback import give_feedback, past_session
from tests.factories.sessions import TeachingSessionFactory
from tests.factories.tutors import ApplicationFactory
from tutors.allocation.models import OBJECTIVE_CHOICES
from tutors.models import AllocatedTopic, AllocationRun, Application
from tutors.recruitment.models import Answer, Question

pytestmark = pytest.mark.django_db

NAME = "Zenobia Quillfeather"
EMAIL = "zenobia.quillfeather@demo.meded.test"
NEEDLES = [NAME, "Quillfeather", EMAIL, "zenobia.quillfeather"]


def _scan(needles: list[str]) -> list[str]:
    """Every column of every table, cast to text, searched for each needle (any case)."""
    hits = []
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            description = connection.introspection.get_table_description(cursor, table)
            texts = [f"LOWER(CAST({qn(c.name)} AS TEXT))" for c in description]
            for needle in needles:
                where = " OR ".join(f"{text} LIKE %s" for text in texts)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {qn(table)} WHERE {where}",
                    [f"%{needle.lower()}%"] * len(texts),
                )
                if cursor.fetchone()[0]:
                    hits.append(f"{table} holds {needle!r}")
    return hits


def _published_allocation(tutor) -> AllocatedTopic:
    from tests.factories.allocation import OfferingFactory, ranking_round

    round = ranking_round()
    offering = OfferingFactory(round=round)
    run = AllocationRun.objects.create(
        round=round,
        objective=OBJECTIVE_CHOICES[0][0],
        seed=1,
        inputs={},
        result={},
        statistics={},
        is_published=True,
        published_at=timezone.now(),
    )
    return AllocatedTopic.objects.create(run=run, tutor=tutor, offering=offering, rank=1)


@pytest.fixture
def member(settings):
    """A tutor who also studies: taught, attended, answered feedback, applied with a CV, has a
    certificate, a published allocation, availability, a reflection, a future place."""
    member = TutorFactory(full_name=NAME, email=EMAIL)
    taught, _ = past_session(attendees=3, tutors=[member], days_ago=3, title="Renal physiology")
    attended, _ = past_session(attendees=2)
    Booking.objects.create(
        session=attended,
        student=member,
        status="confirmed",
        joined_at=attended.starts_at,
        attended=True,
    )
    give_feedback(member, attended)
    start = timezone.now().date() - timedelta(days=30)
    issue_teaching_certificate(member, start, timezone.now().date())
    application = ApplicationFactory(
        applicant=member, motivation=f"I am {NAME} and I love teaching.", status="rejected"
    )
    question = Question.objects.create(round=application.round, kind="file", label="CV")
    cv = Answer.objects.create(application=application, question=question, file_name="cv.pdf")
    cv.file.save("cv.pdf", ContentFile(b"%PDF-1.4 Zenobia Quillfeather CV"))
    WeeklyAvailability.objects.create(member=member, free_cells=[10, 11, 12])
    Reflection.objects.create(tutor=member, session=taught, text=f"{NAME}: went well")
    _published_allocation(member)
    upcoming = TeachingSessionFactory(capacity=1)
    booking.book(member, upcoming)  # confirmed, and a confirmation email in her name
    booking.book(UserFactory(), upcoming)  # waiting for her place
    return member


def _figures() -> dict[str, int]:
    return {
        "attended": Booking.objects.filter(attended=True).count(),
        "responses": Response.objects.count(),
        "answered": HasAnswered.objects.count(),
        "certificates": Certificate.objects.count(),
        "allocated": AllocatedTopic.objects.filter(run__is_published=True).count(),
        "applications": Application.objects.count(),
    }


def test_a_member_deletes_their_account_and_nothing_personal_remains(
    client, member, django_capture_on_commit_callbacks
):
    assert _scan(NEEDLES), "the scan must see the member before the erasure"
    cv_file = Answer.objects.get(application__applicant=member).file.name
    assert default_storage.exists(cv_file)
    code = Certificate.objects.get(user=member).code
    figures = _figures()
    client.login(email=EMAIL, password=PASSWORD)
    page = client.get(reverse("delete_account")).content.decode()
    assert "cannot be undone" in page
    with django_capture_on_commit_callbacks(execute=True):  # the files go after the commit
        response = client.post(
            reverse("delete_account"), {"password": PASSWORD, "understood": "on"}
        )
    assert response.status_code == 302
    assert _scan(NEEDLES) == []
    assert _figures() == figures
    assert not default_storage.exists(cv_file)
    erased = User.objects.get(pk=member.pk)
    assert erased.erased_at and not erased.is_active and str(erased) == "Former member"
    assert not WeeklyAvailability.objects.filter(member=erased).exists()
    assert not Reflection.objects.filter(tutor=erased).exists()
    # Her place on the session still to come went to the member waiting for it.
    upcoming = Booking.objects.filter(student=erased, session__starts_at__gt=timezone.now())
    assert upcoming.get().status == Booking.Status.CANCELLED
    assert upcoming.get().session.bookings.exclude(status="cancelled").get().status in (
        Booking.Status.OFFERED,
        Booking.Status.CONFIRMED,
    )
    # Signed out, and signing in again is impossible, by the old or the tombstone address.
    assert client.get(reverse("profile")).status_code == 302
    assert not client.login(email=EMAIL, password=PASSWORD)
    assert not client.login(email=erased.email, password=PASSWORD)
    # The certificate still verifies, as issued, against the name printed on it.
    page = client.get(reverse("feedback:verify", args=[code]), {"name": NAME}).content.decode()
    assert "Valid" in page and "is the name this certificate was issued to" in page
    page = client.get(reverse("feedback:verify", args=[code]), {"name": "Someone Else"})
    assert "is not the name this certificate was issued to" in page.content.decode()


def test_a_wrong_password_erases_nothing(client, member):
    client.login(email=EMAIL, password=PASSWORD)
    response = client.post(reverse("delete_account"), {"password": "guess", "understood": "on"})
    assert response.status_code == 200
    assert "That is not your password." in response.content.decode()
    assert User.objects.get(pk=member.pk).erased_at is None
    assert User.objects.get(pk=member.pk).full_name == NAME


def test_the_box_must_be_ticked(client):
    student = UserFactory()
    client.login(email=student.email, password=PASSWORD)
    response = client.post(reverse("delete_account"), {"password": PASSWORD})
    assert "Please tick the box" in response.content.decode()
    assert User.objects.get(pk=student.pk).erased_at is None


def test_the_committee_previews_then_erases_a_member(client, member):
    committee = CommitteeFactory()
    client.login(email=committee.email, password=PASSWORD)
    assert reverse("committee_erase_member") in client.get("/committee/").content.decode()
    page = client.get(reverse("committee_erase_member"), {"member": EMAIL.upper()})
    text = page.content.decode()
    assert "Erase this account for good" in text and "Bookings" in text
    assert User.objects.get(pk=member.pk).erased_at is None  # a preview changes nothing
    response = client.post(reverse("committee_erase_member"), {"member": EMAIL})
    assert response.status_code == 302
    assert User.objects.get(pk=member.pk).erased_at is not None
    assert _scan(NEEDLES) == []


def test_only_the_committee_erases_others_and_never_themselves(client):
    student, other = UserFactory(), UserFactory()
    client.login(email=student.email, password=PASSWORD)
    response = client.post(reverse("committee_erase_member"), {"member": other.email})
    assert response.status_code == 403
    assert User.objects.get(pk=other.pk).erased_at is None
    committee = CommitteeFactory()
    with pytest.raises(DomainError, match="your own account"):
        erasure.erase_by_committee(committee, committee)
    with pytest.raises(DomainError, match="Only the committee"):
        erasure.erase_by_committee(student, other)
