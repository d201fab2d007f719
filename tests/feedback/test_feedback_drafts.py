"""Leak 7: a draft session's title never shows on the feedback or observe pages to members who
cannot see the session; peer observations only once the session has started."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import PeerObservation
from feedback.models.observations import RUBRIC
from feedback.services import FeedbackError
from feedback.services.observations import file_observation
from sessions_app.models import TeachingSession
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.sessions import TeachingSessionFactory

pytestmark = pytest.mark.django_db

SECRET = "Unannounced: cardiology mock OSCE"


@pytest.fixture
def draft():
    return TeachingSessionFactory(
        title=SECRET,
        status=TeachingSession.Status.DRAFT,
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() - timedelta(days=1) + timedelta(hours=1),
        tutors=[TutorFactory()],
    )


@pytest.mark.parametrize("who", ["student", "tutor", "senior tutor"])
def test_a_draft_is_not_found_for_those_who_cannot_see_it(client, draft, who):
    user = {
        "student": UserFactory,
        "tutor": TutorFactory,
        "senior tutor": lambda: TutorFactory(year_of_study="6"),
    }[who]()
    client.force_login(user)
    for name in ("answer", "observe"):
        response = client.get(reverse(f"feedback:{name}", args=[draft.pk]))
        assert response.status_code == 404
        assert SECRET not in response.content.decode()


def test_the_committee_and_the_sessions_tutor_still_reach_the_draft(client, draft):
    client.force_login(CommitteeFactory())
    assert client.get(reverse("feedback:observe", args=[draft.pk])).status_code == 200
    client.force_login(draft.tutors.get())
    response = client.get(reverse("feedback:answer", args=[draft.pk]))
    assert response.status_code == 200 and SECRET in response.content.decode()


def test_an_observation_waits_until_the_session_has_started(client):
    tutor = TutorFactory()
    upcoming = TeachingSessionFactory(tutors=[tutor])  # three days from now
    committee = CommitteeFactory()
    scores = {key: 4 for key, *_ in RUBRIC}
    with pytest.raises(FeedbackError, match="once the session has started"):
        file_observation(committee, upcoming, tutor, scores, "Clear aims")
    client.force_login(committee)
    page = client.get(reverse("feedback:observe", args=[upcoming.pk])).content.decode()
    assert "has not started yet" in page and "Save observation" not in page
    senior = TutorFactory(year_of_study="6")
    client.force_login(senior)
    links = client.get(reverse("feedback:teaching")).content.decode()
    assert reverse("feedback:observe", args=[upcoming.pk]) not in links
    assert not PeerObservation.objects.exists()


def test_the_form_tells_students_the_guarantee(client):
    from tests.factories.feedback import past_session

    session, (student,) = past_session(attendees=1)
    client.force_login(student)
    text = " ".join(
        client.get(reverse("feedback:answer", args=[session.pk])).content.decode().split()
    )
    assert "Your feedback is anonymous" in text
    assert "groups of at least 3 people, and only after feedback closes" in text
