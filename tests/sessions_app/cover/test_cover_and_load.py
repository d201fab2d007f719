"""A tutor's load and cover, end to end: one click to ask, the committee told, a previewed
offer to tutors who ranked the topic (not to the busy), the first to accept takes the session."""

import pytest
from django.urls import reverse

from meded.models import SentEmail
from sessions_app.cover.models import CoverRequest
from sessions_app.cover.services import accept_cover, ask_for_cover, candidates
from sessions_app.errors import SessionError
from tests.factories import CommitteeFactory, TopicFactory, TutorFactory, UserFactory
from tests.factories.allocation import OfferingFactory, accepted_tutor, rank, ranking_round
from tests.factories.feedback import past_session
from tests.factories.sessions import TeachingSessionFactory
from tests.support.mailings import confirm_on_the_page
from tests.support.remembering import cold_compiled, orm_compiles  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    round = ranking_round()
    topic = TopicFactory(title="Heart failure")
    offering = OfferingFactory(round=round, topic=topic)
    tutor = accepted_tutor(round)
    keen = accepted_tutor(round, full_name="Keen Tutor")
    busy = accepted_tutor(round, full_name="Busy Tutor")
    other_topic = accepted_tutor(round, full_name="Other Topic")
    for t in (tutor, keen, busy):
        rank(round, t, [offering])
    rank(round, other_topic, [OfferingFactory(round=round)])
    session = TeachingSessionFactory(topic=topic, tutors=[tutor], title="Heart failure")
    TeachingSessionFactory(
        starts_at=session.starts_at, ends_at=session.ends_at, tutors=[busy], venue="Elsewhere"
    )
    committee = CommitteeFactory()
    return {"tutor": tutor, "keen": keen, "busy": busy, "session": session, "committee": committee}


def test_cover_end_to_end_through_the_pages(client, setting):
    s = setting
    client.force_login(s["tutor"])
    html = client.get(reverse("sessions_app:teaching_load")).content.decode()
    assert "Heart failure" in html and "Ask the committee to find cover" in html
    client.post(reverse("sessions_app:cover_ask", args=[s["session"].pk]))
    cover = CoverRequest.objects.get()
    assert SentEmail.objects.filter(kind="cover_requested", recipient=s["committee"]).exists()
    assert not SentEmail.objects.filter(kind="cover_offered").exists()

    client.force_login(s["committee"])
    url = reverse("sessions_app:cover_offer", args=[cover.pk])
    page = client.get(url).content.decode()
    assert "Keen Tutor" in page and "Busy Tutor" not in page and "Other Topic" not in page
    chosen = client.post(url, {"tutor": [s["keen"].pk]})
    preview = client.get(chosen["Location"]).content.decode()
    assert s["keen"].email in preview and "Could you cover" in preview
    assert not SentEmail.objects.filter(kind="cover_offered").exists()  # preview sends nothing
    assert not s["keen"].cover_offers.exists()
    confirm_on_the_page(client, chosen)
    assert list(
        SentEmail.objects.filter(kind="cover_offered").values_list("recipient", flat=True)
    ) == [s["keen"].pk]

    client.force_login(s["keen"])
    offer = s["keen"].cover_offers.get()
    assert "I can cover it" in client.get(reverse("sessions_app:teaching_load")).content.decode()
    client.post(reverse("sessions_app:cover_accept", args=[offer.pk]))
    cover.refresh_from_db()
    assert cover.state == "covered" and cover.covered_by == s["keen"]
    assert list(s["session"].tutors.all()) == [s["keen"]]
    assert SentEmail.objects.filter(kind="cover_found", recipient=s["tutor"]).exists()


def test_only_the_first_acceptance_wins(setting):
    from sessions_app.cover.services import offer_cover

    s = setting
    cover = ask_for_cover(s["tutor"], s["session"])
    another = TutorFactory()
    rank(s["session"].topic.offerings.get().round, another, [s["session"].topic.offerings.get()])
    offer_cover(s["committee"], cover, [s["keen"].pk, another.pk])
    accept_cover(s["keen"], s["keen"].cover_offers.get())
    with pytest.raises(SessionError, match="already covered"):
        accept_cover(another, another.cover_offers.get())
    assert list(s["session"].tutors.all()) == [s["keen"]]


def test_asking_twice_or_for_a_past_or_someone_elses_session_is_refused(setting):
    s = setting
    ask_for_cover(s["tutor"], s["session"])
    with pytest.raises(SessionError, match="already asked"):
        ask_for_cover(s["tutor"], s["session"])
    with pytest.raises(SessionError, match="only for sessions you teach"):
        ask_for_cover(s["keen"], s["session"])
    past, _ = past_session(tutors=[s["tutor"]])
    with pytest.raises(SessionError, match="started or was cancelled"):
        ask_for_cover(s["tutor"], past)


def test_candidates_exclude_the_busy_and_those_who_did_not_rank_the_topic(setting):
    s = setting
    cover = ask_for_cover(s["tutor"], s["session"])
    assert list(candidates(cover)) == [s["keen"]]


def test_the_load_page_shows_deadlines_and_support(client, setting):
    client.force_login(setting["tutor"])
    html = client.get(reverse("sessions_app:teaching_load")).content.decode()
    assert "Rank the topics you would like to teach" in html
    assert reverse("support") in html and reverse("notification_preferences") in html


def test_the_recording_page_says_catching_up_is_fine():
    from pathlib import Path

    template = Path("sessions_app/templates/sessions_app/resource_detail.html").read_text()
    assert "Catching up on a recording is fine" in template


def test_no_public_count_of_who_attended(client):
    session, students = past_session(attendees=3)
    client.force_login(UserFactory())
    html = client.get(reverse("sessions_app:detail", args=[session.pk])).content.decode()
    assert "attended" not in html.lower()
    assert all(s.email not in html for s in students)


@pytest.mark.parametrize(
    ("role", "load", "committee"),
    [("visitor", 302, 302), ("student", 403, 403), ("tutor", 200, 403), ("committee", 200, 200)],
)
def test_permissions_for_every_role(client, role, load, committee):
    users = {"student": UserFactory, "tutor": TutorFactory, "committee": CommitteeFactory}
    if role in users:
        client.force_login(users[role]())
    assert client.get(reverse("sessions_app:teaching_load")).status_code == load
    assert client.get(reverse("sessions_app:cover_committee")).status_code == committee
    cover_url = reverse("sessions_app:cover_ask", args=[TeachingSessionFactory().pk])
    assert client.post(cover_url).status_code in (302, 403)
    assert not CoverRequest.objects.exists()


def test_offers_wait_for_the_undo_window_and_undo_withdraws_them(setting):
    from datetime import UTC, datetime, timedelta

    import time_machine

    from meded.notifications import mailings
    from meded.notifications.mailings import MailingError
    from sessions_app.cover.services import choose_cover
    from tests.support.mailings import confirm_action

    s = setting
    another = TutorFactory()
    rank(s["session"].topic.offerings.get().round, another, [s["session"].topic.offerings.get()])
    cover = ask_for_cover(s["tutor"], s["session"])
    choose_cover(s["committee"], cover, [s["keen"].pk, another.pk, s["busy"].pk])
    assert not SentEmail.objects.filter(kind="cover_offered").exists()
    start = datetime(2026, 3, 29, 0, 55, tzinfo=UTC)  # across the clocks going forward
    with time_machine.travel(start, tick=False):
        mailing = confirm_action(s["committee"], "sessions.offer_cover", cover.pk)
    # the busy tutor was never a candidate: two asked, emails held
    assert mailing.recipient_count == 2 and cover.offers.count() == 2
    assert set(mailing.emails.values_list("status", flat=True)) == {"held"}
    with time_machine.travel(start + timedelta(minutes=9), tick=False):
        mailings.undo(s["committee"], mailing.pk)
    cover.refresh_from_db()
    assert cover.state == "open" and not cover.offers.exists()
    choose_cover(s["committee"], cover, [s["keen"].pk])
    again = confirm_action(s["committee"], "sessions.offer_cover", cover.pk)
    accept_cover(s["keen"], s["keen"].cover_offers.get())
    with pytest.raises(MailingError, match="already taken"):
        mailings.undo(s["committee"], again.pk)
    assert list(s["session"].tutors.all()) == [s["keen"]]


def test_a_cold_load_page_reads_everything_through_prepared_statements(
    client,
    setting,
    orm_compiles,  # noqa: F811
):
    """After a write (nothing remembered) the page builds no query of its own: the sessions,
    the cover asked for and offered, and the ranking deadline are compiled once per process."""
    from sessions_app.cover.services import offer_cover

    s = setting
    cover = ask_for_cover(s["tutor"], s["session"])
    offer_cover(s["committee"], cover, [s["keen"].pk])
    url = reverse("sessions_app:teaching_load")
    for who, shown in ((s["tutor"], "I can teach it after all"), (s["keen"], "I can cover it")):
        client.force_login(who)
        client.get(url)
        html, compiled = cold_compiled(client, url, orm_compiles)
        assert shown in html and "Heart failure" in html
        assert "Rank the topics you would like to teach" in html
        tables = ("sessions_app_cover", "sessions_app_teachingsession", "tutors_application")
        assert not [sql for sql in compiled if any(t in sql for t in tables)], compiled
