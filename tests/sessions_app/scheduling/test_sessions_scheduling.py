"""Committee scheduling: clash warnings, publish, change, cancel, duplicate, from allocation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meded.models import SentEmail
from sessions_app.errors import SessionError
from sessions_app.models import TeachingSession
from sessions_app.scheduling.from_allocation import create_sessions_for_allocation
from sessions_app.scheduling.services import cancel_session, duplicate, find_clashes, publish
from tests.factories.core import CommitteeFactory, TopicFactory, TutorFactory, year
from tests.factories.sessions import BookingFactory, TeachingSessionFactory
from tests.support.mailings import confirm_and_release
from tests.support.notifications import send_queued

pytestmark = pytest.mark.django_db


def clashes(session, **over):
    args = {
        "starts_at": session.starts_at + timedelta(minutes=30),
        "ends_at": session.ends_at + timedelta(minutes=30),
        "venue": "",
        "tutor_ids": [],
        "year_ids": [],
    }
    args.update(over)
    return [c.kind for c in find_clashes(**args)]


def test_same_tutor_in_overlapping_sessions_is_a_clash():
    tutor = TutorFactory()
    session = TeachingSessionFactory(tutors=[tutor])
    assert clashes(session, tutor_ids=[tutor.pk]) == ["tutor"]


def test_same_venue_double_booked_is_a_clash_ignoring_case():
    session = TeachingSessionFactory(venue="Room 101")
    assert clashes(session, venue=" room 101") == ["venue"]


def test_year_group_with_two_sessions_at_once_is_a_clash():
    session = TeachingSessionFactory(target_years=[year(3)])
    assert clashes(session, year_ids=[year(3).pk]) == ["year"]
    assert clashes(session, year_ids=[year(4).pk]) == []


def test_back_to_back_and_cancelled_sessions_do_not_clash():
    tutor = TutorFactory()
    session = TeachingSessionFactory(tutors=[tutor])
    after = {"starts_at": session.ends_at, "ends_at": session.ends_at + timedelta(hours=1)}
    assert clashes(session, tutor_ids=[tutor.pk], **after) == []
    session.status = "cancelled"
    session.save()
    assert clashes(session, tutor_ids=[tutor.pk]) == []


def form_data(**over):
    start = timezone.localtime(timezone.now() + timedelta(days=5)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    data = {
        "title": "Cardiac cycle",
        "kind": "lecture",
        "delivery": "in_person",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "venue": "LT1",
        "capacity": "30",
        "cancellation_deadline_hours": "2",
    }
    data.update(over)
    return data


def test_committee_creates_a_draft_and_publishes_it(client):
    client.force_login(CommitteeFactory())
    response = client.post(reverse("sessions_app:committee_create"), form_data())
    session = TeachingSession.objects.get()
    assert response.status_code == 302 and session.status == "draft"
    assert len(session.checkin_code) == 6
    assert timezone.localtime(session.starts_at).hour == 18
    client.post(reverse("sessions_app:committee_publish", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == "published" and session.sequence == 1


def test_clash_is_shown_and_the_committee_can_go_ahead(client):
    client.force_login(CommitteeFactory())
    client.post(reverse("sessions_app:committee_create"), form_data())
    response = client.post(reverse("sessions_app:committee_create"), form_data(title="Other"))
    assert response.status_code == 200
    assert "LT1 is already booked" in response.content.decode()
    assert TeachingSession.objects.count() == 1
    response = client.post(
        reverse("sessions_app:committee_create"), form_data(title="Other", go_ahead="on")
    )
    assert response.status_code == 302 and TeachingSession.objects.count() == 2


def test_bad_input_gets_field_messages_and_saves_nothing(client):
    client.force_login(CommitteeFactory())
    data = form_data(delivery="online", venue="")
    data["ends_at"] = data["starts_at"]
    body = client.post(reverse("sessions_app:committee_create"), data).content.decode()
    assert "must end after it starts" in body
    assert "Give a join link" in body
    assert not TeachingSession.objects.exists()


def test_changing_time_emails_booked_students_and_bumps_sequence(client):
    session = TeachingSessionFactory()
    booking = BookingFactory(session=session)
    client.force_login(CommitteeFactory())
    new_start = timezone.localtime(session.starts_at + timedelta(hours=2))
    data = form_data(
        title=session.title,
        venue=session.venue,
        starts_at=new_start.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(new_start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    )
    response = client.post(reverse("sessions_app:committee_edit", args=[session.pk]), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.sequence == 1
    assert SentEmail.objects.filter(kind="session_changed", recipient=booking.student).count() == 1


def test_cancelling_notifies_booked_and_waiting_and_keeps_history():
    session = TeachingSessionFactory(capacity=1)
    booked = BookingFactory(session=session)
    waiting = BookingFactory(session=session, status="waiting")
    mailing = confirm_and_release(None, "sessions.cancel_session", session.pk)
    assert mailing.recipient_count == 2
    for b in (booked, waiting):
        b.refresh_from_db()
        assert b.status == "cancelled" and b.cancel_reason == "session_cancelled"
    assert set(
        SentEmail.objects.filter(kind="session_cancelled").values_list("recipient", flat=True)
    ) == {
        booked.student_id,
        waiting.student_id,
    }
    with pytest.raises(SessionError):
        cancel_session(session)
    with pytest.raises(SessionError):
        publish(session)


def test_cancel_page_needs_confirmation(client):
    session = TeachingSessionFactory()
    client.force_login(CommitteeFactory())
    url = reverse("sessions_app:committee_cancel", args=[session.pk])
    assert client.post(url, {}).status_code == 200
    session.refresh_from_db()
    assert session.status == "published"
    client.post(url, {"confirm": "on"})
    session.refresh_from_db()
    assert session.status == "cancelled"


def test_duplicate_is_a_draft_a_week_later_with_the_same_tutors():
    tutor = TutorFactory()
    session = TeachingSessionFactory(tutors=[tutor], target_years=[year(2)])
    copy = duplicate(session)
    assert copy.pk != session.pk and copy.status == "draft"
    assert copy.starts_at == session.starts_at + timedelta(days=7)
    assert list(copy.tutors.all()) == [tutor]
    assert list(copy.target_years.values_list("number", flat=True)) == [2]


def test_sessions_from_a_published_allocation(client):
    tutor = TutorFactory()
    topic = TopicFactory(years=[3])
    round_, _ = published_allocation(tutor, topic)
    client.force_login(CommitteeFactory())
    day = (timezone.localdate() + timedelta(days=7)).isoformat()
    response = client.post(
        reverse("sessions_app:committee_from_allocation"), {"round": round_.pk, "first_day": day}
    )
    assert response.status_code == 302
    session = TeachingSession.objects.get()
    assert session.topic == topic and session.kind == "tutorial" and session.status == "draft"
    assert list(session.tutors.all()) == [tutor]
    # Running it again makes no duplicates.
    client.post(
        reverse("sessions_app:committee_from_allocation"), {"round": round_.pk, "first_day": day}
    )
    assert TeachingSession.objects.count() == 1


def test_a_draft_with_no_venue_cannot_be_published(client):
    """A draft made from an allocation has no room yet: members must not book it until the
    committee gives it one; publishing says what is missing and leaves it a draft."""
    round_, _ = published_allocation(TutorFactory(), TopicFactory(years=[3]))
    first_day = timezone.localdate() + timedelta(days=7)
    draft = create_sessions_for_allocation(round_, first_day=first_day)[0]
    assert draft.venue == "" and draft.delivery == "in_person"
    with pytest.raises(SessionError, match="Give a venue for in-person or hybrid teaching"):
        publish(draft)
    client.force_login(CommitteeFactory())
    url = reverse("sessions_app:committee_publish", args=[draft.pk])
    response = client.post(url, follow=True)
    assert "Give a venue for in-person or hybrid teaching." in [
        str(m) for m in response.context["messages"]
    ]
    draft.refresh_from_db()
    assert draft.status == "draft"
    TeachingSession.objects.filter(pk=draft.pk).update(venue="Seminar Room 3.01")
    assert publish(draft).status == "published"


def published_allocation(tutor, topic, fmt="tutorial"):
    from tests.factories.allocation import OfferingFactory, ranking_round
    from tutors.models import AllocatedTopic, AllocationRun

    round_ = ranking_round()
    offering = OfferingFactory(round=round_, topic=topic, format=fmt)
    run = AllocationRun.objects.create(
        round=round_,
        objective="rank",
        seed=1,
        inputs={},
        result={},
        statistics={},
        is_published=True,
    )
    AllocatedTopic.objects.create(run=run, tutor=tutor, offering=offering, rank=1)
    return round_, offering


def test_last_years_session_on_a_topic_does_not_block_this_rounds_draft(client):
    topic = TopicFactory(years=[3])
    last_year = TeachingSessionFactory(
        topic=topic,
        starts_at=timezone.now() - timedelta(days=300),
        ends_at=timezone.now() - timedelta(days=300, hours=-1),
    )
    tutor = TutorFactory()
    round_, offering = published_allocation(tutor, topic)
    client.force_login(CommitteeFactory())
    day = (timezone.localdate() + timedelta(days=7)).isoformat()
    url = reverse("sessions_app:committee_from_allocation")
    client.post(url, {"round": round_.pk, "first_day": day})
    new = TeachingSession.objects.exclude(pk=last_year.pk).get()
    assert new.offering == offering and list(new.tutors.all()) == [tutor]
    client.post(url, {"round": round_.pk, "first_day": day})
    assert TeachingSession.objects.count() == 2


def test_a_new_session_on_an_allocated_topic_takes_its_tutors(client):
    topic = TopicFactory()
    tutor = TutorFactory()
    _, offering = published_allocation(tutor, topic)
    client.force_login(CommitteeFactory())
    response = client.post(
        reverse("sessions_app:committee_create"), form_data(topic=topic.pk), follow=True
    )
    session = TeachingSession.objects.get()
    assert list(session.tutors.all()) == [tutor] and session.offering == offering
    assert "Tutors filled in from the published allocation" in response.content.decode()
    # Chosen tutors win over the allocation.
    other = TutorFactory()
    client.post(
        reverse("sessions_app:committee_create"),
        form_data(topic=topic.pk, tutors=[other.pk], venue="LT2", go_ahead="on"),
    )
    assert list(TeachingSession.objects.latest("pk").tutors.all()) == [other]


def test_a_session_for_every_year_clashes_with_a_year_groups_session():
    year_three = TeachingSessionFactory(title="Year 3 only", target_years=[year(3)])
    assert clashes(year_three) == ["year"]  # the new one is for every year
    for_all = TeachingSessionFactory(
        starts_at=year_three.starts_at + timedelta(days=1),
        ends_at=year_three.ends_at + timedelta(days=1),
    )
    assert clashes(for_all, year_ids=[year(4).pk]) == ["year"]
    assert clashes(for_all) == []  # two every-year sessions target no group in particular


def test_a_change_email_gives_the_join_link_only_to_confirmed_places():
    from sessions_app.scheduling.services import notify_change

    session = TeachingSessionFactory(delivery="online", venue="", join_link="https://meet.test/j")
    confirmed = BookingFactory(session=session)
    offered = BookingFactory(
        session=session, status="offered", offer_expires_at=timezone.now() + timedelta(hours=1)
    )
    notify_change(session, ["starts_at"])
    send_queued()
    mail = {m.recipient_id: m for m in SentEmail.objects.filter(kind="session_changed")}
    assert "meet.test/j" in mail[confirmed.student_id].body_text
    assert "meet.test/j" in mail[confirmed.student_id].body_html
    assert "meet.test/j" not in mail[offered.student_id].body_text
    assert "meet.test/j" not in mail[offered.student_id].body_html


def test_the_committee_starts_a_bookable_series_from_the_session_form(client):
    from sessions_app.models import Series

    client.force_login(CommitteeFactory())
    title = "Year 3 Cardiology lecture series"
    data = form_data(new_series=f" {title} ", new_series_bookable="on")
    assert client.post(reverse("sessions_app:committee_create"), data).status_code == 302
    series = Series.objects.get()
    assert series.title == title and series.bookable_as_whole
    assert TeachingSession.objects.get().series == series


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"series": "existing"}, "not both"),
        ({"new_series": "year 3 cardiology"}, "exists; choose it above"),
    ],
)
def test_a_new_series_that_is_ambiguous_is_refused_and_saves_nothing(client, extra, message):
    from sessions_app.models import Series

    existing = Series.objects.create(title="Year 3 Cardiology")
    client.force_login(CommitteeFactory())
    data = form_data(**{"new_series": "Year 3 Cardiology", **extra})
    if data.get("series") == "existing":
        data["series"] = existing.pk
    response = client.post(reverse("sessions_app:committee_create"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert Series.objects.count() == 1 and not TeachingSession.objects.exists()
