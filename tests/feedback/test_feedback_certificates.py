"""Certificates: the PDF states the facts, and the verification page shows the same."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from feedback.selectors.certificates import attendance_progress
from feedback.services import FeedbackError
from feedback.services.certificates import (
    issue_attendance_certificate,
    issue_teaching_certificate,
    render_pdf,
)
from meded.models import Topic
from sessions_app.models import Booking
from tests.factories.core import TopicFactory, TutorFactory, UserFactory
from tests.factories.feedback import attend, give_feedback, past_session
from tests.factories.sessions import SeriesFactory, TeachingSessionFactory

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def taught(settings):
    settings.MEDED_CERTIFICATE_SIGNATORY = "Dr Ada Chair"
    tutor = TutorFactory(full_name="Priya Tutor")
    topic: Topic = TopicFactory(code="CARD-01", title="Heart failure")
    first, students = past_session(attendees=4, tutors=[tutor], days_ago=50, topic=topic)
    second, more = past_session(attendees=2, tutors=[tutor], days_ago=45, kind="tutorial")
    second.ends_at = second.starts_at + timedelta(minutes=90)
    second.save()
    attend(second, attended=False)
    with time_machine.travel(first.ends_at + timedelta(hours=1), tick=False):
        for s, score in zip(students, [5, 4, 4], strict=False):
            give_feedback(s, first, overall=score)
    with time_machine.travel(second.ends_at + timedelta(hours=1), tick=False):
        give_feedback(more[0], second, overall=1)  # below threshold: not in the mean
    return tutor, first, second


def test_teaching_certificate_pdf_states_sessions_hours_feedback_and_code(taught):
    tutor, first, second = taught
    start, end = first.starts_at.date() - timedelta(days=1), second.starts_at.date()
    cert = issue_teaching_certificate(tutor, start, end)
    assert cert.facts["total_hours"] == 2.5
    assert [s["attendance"] for s in cert.facts["sessions"]] == [4, 2]
    # the second session has one response: below the threshold, so no mean of its own
    assert [(s["overall_mean"], s["responses"]) for s in cert.facts["sessions"]] == [
        (4.33, 3),
        (None, None),
    ]
    assert cert.facts["feedback"] == {
        "overall_mean": 4.33,
        "responses": 3,
        "sessions_with_results": 1,
        "scale": "Overall quality, 1 (very poor) to 5 (excellent)",
    }
    text = _text(render_pdf(cert))
    for expected in [
        "Priya Tutor",
        "Teaching certificate",
        first.starts_at.date().isoformat(),
        "CARD-01 Heart failure",
        "Lecture",
        "Small-group tutorial",
        "Total teaching hours: 2.5",
        "4.33 (3 responses)",
        "overall quality mean 4.33 out of 5 from 3 responses",
        "Signed: Dr Ada Chair",
        f"Verification code: {cert.code}",
        f"/certificates/verify/{cert.code}/",
    ]:
        assert expected in text, expected


def test_a_period_without_teaching_is_refused(taught):
    tutor, first, _ = taught
    day = first.starts_at.date() - timedelta(days=100)
    with pytest.raises(FeedbackError, match="no sessions"):
        issue_teaching_certificate(tutor, day, day)
    with pytest.raises(FeedbackError, match="end date"):
        issue_teaching_certificate(tutor, first.starts_at.date(), day)


def test_the_verification_page_shows_the_same_facts_to_anyone(client, taught):
    tutor, first, second = taught
    cert = issue_teaching_certificate(tutor, first.starts_at.date(), second.starts_at.date())
    html = client.get(reverse("feedback:verify", args=[cert.code])).content.decode()
    for expected in [
        "Valid",
        "Priya Tutor",
        "CARD-01 Heart failure",
        "2.5",
        "4.33 (3 responses)",
        "Dr Ada Chair",
    ]:
        assert expected in html
    assert "(1 responses)" not in html and "(1 responses)" not in _text(render_pdf(cert))
    lookup = client.get(reverse("feedback:verify_lookup"), {"code": cert.code.lower()})
    assert "Priya Tutor" in lookup.content.decode()
    missing = client.get(reverse("feedback:verify", args=["NOPE12345678"]))
    assert missing.status_code == 404 and "No certificate" in missing.content.decode()


def test_tutor_downloads_a_certificate_for_a_date_range_from_the_page(client, taught):
    tutor, first, second = taught
    client.force_login(tutor)
    response = client.post(
        reverse("feedback:issue_teaching"),
        {"start": first.starts_at.date().isoformat(), "end": second.starts_at.date().isoformat()},
    )
    assert response.status_code == 302
    cert = tutor.certificates.get()
    pdf = client.get(reverse("feedback:certificate_pdf", args=[cert.code]))
    assert pdf["Content-Type"] == "application/pdf"
    assert "Priya Tutor" in _text(pdf.content)
    other = UserFactory()
    client.force_login(other)
    assert client.get(reverse("feedback:certificate_pdf", args=[cert.code])).status_code == 404


def test_students_get_a_certificate_of_attendance_for_a_series():
    series = SeriesFactory(title="Year 3 Cardiology")
    student = UserFactory(full_name="Sam Student")
    one, _ = past_session(series=series, days_ago=9)
    two, _ = past_session(series=series, days_ago=2)
    three, _ = past_session(series=series, days_ago=1)
    attend(one, student=student)
    attend(two, student=student)
    attend(three, student=student, attended=False)
    cert = issue_attendance_certificate(student, series)
    assert [s["title"] for s in cert.facts["sessions"]] == [one.title, two.title]
    text = _text(render_pdf(cert))
    assert "Certificate of attendance" in text and "Sam Student" in text
    assert "Year 3 Cardiology" in text and cert.code in text
    with pytest.raises(FeedbackError):
        issue_attendance_certificate(UserFactory(), series)
    assert Booking.objects.filter(student=student).count() == 3


def test_the_progress_counts_every_session_of_the_series_not_only_the_members():
    """ "2 of 3 held, 4 in all" whatever the member booked: the series' own sessions."""
    series = SeriesFactory(title="Year 3 Renal")
    student = UserFactory()
    one, _ = past_session(series=series, days_ago=9)
    past_session(series=series, days_ago=5)  # held, not booked by the student
    past_session(series=series, days_ago=2)  # held, not booked either
    soon = timezone.now() + timedelta(days=3)
    TeachingSessionFactory(series=series, starts_at=soon, ends_at=soon + timedelta(hours=1))
    attend(one, student=student)
    [row] = attendance_progress(student)
    assert (row["series"], row["attended"], row["held"], row["total"]) == (series, 1, 3, 4)
