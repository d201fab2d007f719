"""Session pages: who may see what, and that each page renders its state."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import Booking, TeachingSession
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory, year
from tests.factories.sessions import BookingFactory, SeriesFactory, TeachingSessionFactory

pytestmark = pytest.mark.django_db

ONLINE = {"delivery": "online", "join_link": "https://meet.example.test/abc", "venue": ""}


def test_visitor_is_sent_to_log_in(client):
    session = TeachingSessionFactory()
    for url in (
        reverse("sessions_app:list"),
        reverse("sessions_app:detail", args=[session.pk]),
        reverse("sessions_app:mine"),
        reverse("sessions_app:calendar"),
        reverse("sessions_app:committee_list"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_list_defaults_to_the_students_year(client):
    student = UserFactory(year_of_study="2")
    TeachingSessionFactory(title="For year two", target_years=[year(2)])
    TeachingSessionFactory(title="For year four", target_years=[year(4)])
    TeachingSessionFactory(title="For everyone")
    client.force_login(student)
    body = client.get(reverse("sessions_app:list")).content.decode()
    assert "For year two" in body and "For everyone" in body
    assert "For year four" not in body
    body = client.get(reverse("sessions_app:list") + "?year=").content.decode()
    assert "For year four" in body


def test_list_filters_kind_delivery_text_and_places(client, student_user):
    TeachingSessionFactory(title="Heart sounds", kind="clinical_skills")
    TeachingSessionFactory(title="Renal lecture", kind="lecture", **ONLINE)
    full = TeachingSessionFactory(title="Full tutorial", kind="tutorial", capacity=1)
    BookingFactory(session=full)
    client.force_login(student_user)
    url = reverse("sessions_app:list")

    def titles(query):
        body = client.get(url + query).content.decode()
        return {t for t in ("Heart sounds", "Renal lecture", "Full tutorial") if t in body}

    assert titles("?year=&kind=clinical_skills") == {"Heart sounds"}
    assert titles("?year=&delivery=online") == {"Renal lecture"}
    assert titles("?year=&q=renal") == {"Renal lecture"}
    assert titles("?year=&has_places=on") == {"Heart sounds", "Renal lecture"}


def test_drafts_are_hidden_from_students_but_not_their_tutor(client, student_user):
    tutor = TutorFactory()
    draft = TeachingSessionFactory(status="draft", tutors=[tutor])
    client.force_login(student_user)
    assert client.get(reverse("sessions_app:detail", args=[draft.pk])).status_code == 404
    assert draft.title not in client.get(reverse("sessions_app:list") + "?year=").content.decode()
    client.force_login(tutor)
    assert client.get(reverse("sessions_app:detail", args=[draft.pk])).status_code == 200


def test_join_link_only_after_booking(client, student_user):
    session = TeachingSessionFactory(**ONLINE)
    client.force_login(student_user)
    url = reverse("sessions_app:detail", args=[session.pk])
    assert "meet.example.test" not in client.get(url).content.decode()
    ics = client.get(reverse("sessions_app:ics", args=[session.pk])).content.decode()
    assert "meet.example.test" not in ics
    BookingFactory(session=session, student=student_user)
    assert "meet.example.test" in client.get(url).content.decode()


def test_tutor_and_committee_see_join_link(client):
    tutor = TutorFactory()
    session = TeachingSessionFactory(tutors=[tutor], **ONLINE)
    url = reverse("sessions_app:detail", args=[session.pk])
    for user in (tutor, CommitteeFactory()):
        client.force_login(user)
        assert "meet.example.test" in client.get(url).content.decode()


def test_book_and_cancel_forms_work_without_javascript(client, student_user):
    session = TeachingSessionFactory()
    client.force_login(student_user)
    body = client.get(reverse("sessions_app:detail", args=[session.pk])).content.decode()
    assert f'action="/sessions/{session.pk}/book/"' in body
    response = client.post(reverse("sessions_app:book", args=[session.pk]), follow=True)
    assert "You are booked" in response.content.decode()
    assert f'href="/sessions/{session.pk}/cancel/"' in response.content.decode()
    confirm = client.get(reverse("sessions_app:cancel", args=[session.pk])).content.decode()
    assert f'action="/sessions/{session.pk}/cancel/"' in confirm
    response = client.post(reverse("sessions_app:cancel", args=[session.pk]), follow=True)
    assert "Your booking is cancelled" in response.content.decode()
    assert Booking.objects.get().status == "cancelled"


def test_booking_error_is_a_message_and_changes_nothing(client, student_user):
    session = TeachingSessionFactory(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=1)
    )
    client.force_login(student_user)
    response = client.post(reverse("sessions_app:book", args=[session.pk]), follow=True)
    assert "already started" in response.content.decode()
    assert not Booking.objects.exists()


def test_get_on_book_is_not_allowed(client, student_user):
    session = TeachingSessionFactory()
    client.force_login(student_user)
    assert client.get(reverse("sessions_app:book", args=[session.pk])).status_code == 405


def test_my_bookings_shows_every_status(client, student_user):
    BookingFactory(student=student_user, session__title="Confirmed one")
    BookingFactory(student=student_user, status="waiting", session__title="Waiting one")
    BookingFactory(
        student=student_user,
        status="offered",
        offer_expires_at=timezone.now() + timedelta(hours=3),
        session__title="Offered one",
    )
    past = TeachingSessionFactory(
        title="Past one",
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=1),
    )
    BookingFactory(student=student_user, session=past, attended=True)
    client.force_login(student_user)
    body = client.get(reverse("sessions_app:mine")).content.decode()
    for text in ("Confirmed one", "Waiting list, number 1", "claim by", "Past one", "Attended"):
        assert text in body


def test_calendar_month_view_lists_sessions(client, student_user):
    session = TeachingSessionFactory(title="Month session")
    client.force_login(student_user)
    month = timezone.localtime(session.starts_at).strftime("%Y-%m")
    body = client.get(reverse("sessions_app:calendar") + f"?year=&month={month}").content.decode()
    assert "Month session" in body


def test_series_can_be_booked_whole_when_allowed(client, student_user):
    series = SeriesFactory(bookable_as_whole=True)
    a = TeachingSessionFactory(series=series)
    b = TeachingSessionFactory(series=series, capacity=1)
    BookingFactory(session=b)
    client.force_login(student_user)
    client.post(reverse("sessions_app:book_series", args=[series.pk]))
    statuses = dict(Booking.objects.filter(student=student_user).values_list("session", "status"))
    assert statuses == {a.pk: "confirmed", b.pk: "waiting"}


def test_committee_pages_are_for_the_committee(client, student_user):
    session = TeachingSessionFactory()
    urls = [
        reverse("sessions_app:committee_list"),
        reverse("sessions_app:committee_create"),
        reverse("sessions_app:committee_edit", args=[session.pk]),
        reverse("sessions_app:committee_cancel", args=[session.pk]),
        reverse("sessions_app:committee_no_shows"),
        reverse("sessions_app:committee_from_allocation"),
    ]
    for user in (student_user, TutorFactory()):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, url
        assert (
            client.post(reverse("sessions_app:committee_publish", args=[session.pk])).status_code
            == 403
        )
    client.force_login(CommitteeFactory())
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_home_section_shows_offers_bookings_and_teaching(client):
    tutor = TutorFactory()
    TeachingSessionFactory(title="I teach this", tutors=[tutor])
    BookingFactory(
        student=tutor,
        status="offered",
        offer_expires_at=timezone.now() + timedelta(hours=2),
        session__title="Offered to me",
    )
    client.force_login(tutor)
    body = client.get("/").content.decode()
    assert "A place is waiting for you" in body and "Offered to me" in body
    assert "I teach this" in body


def test_home_empty_state_says_what_to_do(client, student_user):
    client.force_login(student_user)
    assert "Browse sessions" in client.get("/").content.decode()


def test_cancelled_session_page_keeps_history(client, student_user):
    session = TeachingSessionFactory(status=TeachingSession.Status.CANCELLED)
    client.force_login(student_user)
    body = client.get(reverse("sessions_app:detail", args=[session.pk])).content.decode()
    assert "has been cancelled" in body


def test_week_view_lists_the_weeks_sessions(client, student_user):
    session = TeachingSessionFactory(title="Week session")
    client.force_login(student_user)
    day = timezone.localtime(session.starts_at).date().isoformat()
    url = reverse("sessions_app:calendar") + f"?view=week&week={day}&year="
    body = client.get(url).content.decode()
    assert "Week session" in body and "Week of" in body
    later = reverse("sessions_app:calendar") + "?view=week&week=2030-01-07&year="
    assert "Week session" not in client.get(later).content.decode()
