"""The teaching certificate says "from 21 October 2026 to 2 December 2026"; words stay whole."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from feedback.services.certificates import issue_teaching_certificate, long_date, render_pdf
from tests.factories.core import TopicFactory, TutorFactory
from tests.factories.feedback import past_session

pytestmark = pytest.mark.django_db


def test_long_dates_have_no_leading_zero():
    assert long_date(date(2026, 12, 2)) == "2 December 2026"


def test_the_pdf_says_from_and_to_and_splits_no_word():
    tutor = TutorFactory(full_name="Priya Tutor")
    topic = TopicFactory(code="CARD-01", title="Cardiomyopathies and pericardial disease")
    session, _ = past_session(
        attendees=2, tutors=[tutor], days_ago=5, topic=topic, kind="clinical_skills"
    )
    session.title = "OSCE practice: cardiovascular examination and electrocardiography"
    session.save()
    day = session.starts_at.date()
    cert = issue_teaching_certificate(tutor, date(day.year, day.month, 1), day)
    lines = [
        line.strip()
        for page in PdfReader(io.BytesIO(render_pdf(cert))).pages
        for line in page.extract_text().splitlines()
    ]
    text = " ".join(lines)
    assert f"from {long_date(date(day.year, day.month, 1))} to {long_date(day)}" in text
    assert "between" not in text
    pieces = {piece for line in lines for piece in line.split()}
    for word in ("cardiovascular", "electrocardiography", "Cardiomyopathies", "Attendance"):
        assert any(word in piece for piece in pieces), f"{word} was split across lines"


def test_the_page_says_what_earns_an_attendance_certificate_and_shows_progress(client):
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from tests.factories.core import UserFactory
    from tests.factories.sessions import BookingFactory, SeriesFactory, TeachingSessionFactory

    student = UserFactory()
    series = SeriesFactory(title="Cardiology lectures")
    now = timezone.now()
    for days, attended in ((-9, True), (-2, False), (5, None)):
        session = TeachingSessionFactory(
            series=series,
            starts_at=now + timedelta(days=days),
            ends_at=now + timedelta(days=days, hours=1),
        )
        BookingFactory(session=session, student=student, attended=attended)
    client.force_login(student)
    html = client.get(reverse("feedback:certificates")).content.decode()
    assert "One session attended earns a certificate" in html
    assert "attended 1 of 2 sessions held so far (3 in the series)" in html
    assert '<progress class="d-block w-100" max="3" value="1"' in html
