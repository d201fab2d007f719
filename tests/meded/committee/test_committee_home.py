"""The committee's home: "needs you now" counts, each linking to the page that resolves it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meded.notifications.models import SentEmail
from sessions_app.models import TeachingSession
from sessions_app.resources.models import Resource
from tests.factories.allocation import accepted_tutor, ranking_round
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.resources import ResourceFactory
from tests.factories.sessions import TeachingSessionFactory
from tests.factories.tutors import ApplicationFactory, RecruitmentRoundFactory

pytestmark = pytest.mark.django_db


def _home(client, user):
    client.force_login(user)
    return client.get("/committee/")


@pytest.mark.parametrize(
    "who,status", [(None, 302), (UserFactory, 403), (TutorFactory, 403), (CommitteeFactory, 200)]
)
def test_only_the_committee_sees_the_home(client, who, status):
    if who:
        client.force_login(who())
    assert client.get("/committee/").status_code == status


def test_nothing_waiting_says_so(client):
    body = _home(client, CommitteeFactory()).content.decode()
    assert "Nothing is waiting for you" in body


def test_applications_not_reviewed_link_to_the_filtered_list_and_agree_with_it(client):
    member = CommitteeFactory()
    round = RecruitmentRoundFactory(name="Spring round")
    ApplicationFactory.create_batch(3, round=round)
    body = _home(client, member).content.decode()
    url = f"/committee/rounds/{round.pk}/applications/?scored_by_me=no"
    assert f'href="{url}"' in body
    assert "3 applications you have not reviewed" in body
    listed = client.get(url)
    assert len(listed.context["page"].object_list) == 3


def test_rankings_missing_and_deadline(client):
    round = ranking_round(name="Ranking round")
    accepted_tutor(round)
    accepted_tutor(round)
    body = _home(client, CommitteeFactory()).content.decode()
    assert "2 tutors have not ranked their topics" in body
    assert f"/committee/rounds/{round.pk}/rankings/" in body
    assert "ranking closes" in body


def test_allocation_not_published_after_ranking_closed(client):
    now = timezone.now()
    round = ranking_round(ranking_opens=now - timedelta(days=5), ranking_closes=now - timedelta(1))
    body = _home(client, CommitteeFactory()).content.decode()
    assert "1 allocation not yet published" in body
    assert f"/committee/rounds/{round.pk}/allocation/" in body


def test_sessions_needing_setup_and_clashes_link_to_filtered_lists(client):
    tutor = TutorFactory()
    TeachingSessionFactory(status=TeachingSession.Status.DRAFT, venue="")
    start = timezone.now() + timedelta(days=5)
    TeachingSessionFactory(starts_at=start, ends_at=start + timedelta(hours=1), tutors=[tutor])
    TeachingSessionFactory(
        starts_at=start + timedelta(minutes=30),
        ends_at=start + timedelta(hours=2),
        venue="Other room",
        tutors=[tutor],
    )
    member = CommitteeFactory()
    body = _home(client, member).content.decode()
    assert "1 draft sessions without a tutor or a room" in body
    assert "2 sessions clash with another" in body
    clashing = client.get("/committee/sessions/?needs=clashes")
    assert len(clashing.context["page"].object_list) == 2
    setup = client.get("/committee/sessions/?needs=setup")
    assert len(setup.context["page"].object_list) == 1


def test_resources_feedback_and_failed_emails(client):
    ResourceFactory(status=Resource.Status.AWAITING_REVIEW)
    member = CommitteeFactory()
    SentEmail.objects.create(
        recipient=member,
        to_email=member.email,
        kind="x",
        object_key="x:1",
        subject="s",
        body_text="b",
        status=SentEmail.Status.FAILED,
    )
    body = _home(client, member).content.decode()
    assert "1 resources awaiting review" in body
    assert "/committee/resources/" in body
    assert "1 email could not be delivered" in body
    assert "/committee/outbox/?status=failed" in body


def test_a_past_session_with_too_few_responses_is_flagged(client):
    from tests.factories.feedback import after_close, past_session

    past_session(attendees=2)
    with after_close():  # only a closed window decides that results stay hidden
        body = _home(client, CommitteeFactory()).content.decode()
    assert "1 recent sessions below" in body
    assert "/committee/feedback/" in body
