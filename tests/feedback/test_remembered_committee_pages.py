"""The committee's feedback pages (dashboard, survey report, review queue) are remembered
(meded.remember): new feedback and a review show on the very next visit, members without the
role never get them, a second visit costs the same queries at two history sizes; and the review
queue decides release in SQL exactly as feedback.disclosure does session by session."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from feedback import disclosure
from feedback.models import Answer, ReviewStatus
from feedback.services.responses import review_text
from sessions_app.models import Resource, TeachingSession
from tests.factories import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.feedback import give_feedback, past_session
from tests.factories.resources import ResourceFactory
from tests.support.remembering import one_minute, second_visit  # noqa: F401 (a fixture)

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]

PAGES = ["feedback:committee", "feedback:report", "feedback:review"]


def commented(answers: int = 3, days_ago: int = 40, **session) -> TeachingSession:
    """A session held long ago whose students answered, each with a comment nobody reviewed."""
    held, students = past_session(attendees=answers, days_ago=days_ago, **session)
    with time_machine.travel(held.ends_at + timedelta(hours=1), tick=False):
        for i, student in enumerate(students):
            give_feedback(student, held, text=f"Comment {held.pk}-{i}")
    return held


def main(html: str) -> str:
    return html.split("<main", 1)[-1]


def test_a_reviewed_comment_leaves_the_queue_on_the_very_next_visit(client):
    commented()
    me = CommitteeFactory()
    client.force_login(me)
    url = reverse("feedback:review")
    assert "3 comments awaiting review" in client.get(url).content.decode()
    review_text(me, Answer.objects.exclude(value_text="").first().pk, ReviewStatus.APPROVED)
    assert "2 comments awaiting review" in client.get(url).content.decode()


def test_new_released_feedback_shows_on_the_very_next_visit_of_the_dashboard(client):
    client.force_login(CommitteeFactory())
    url = reverse("feedback:committee")
    assert "Nephron transport" not in main(client.get(url).content.decode())
    commented(title="Nephron transport")
    assert "Nephron transport" in main(client.get(url).content.decode())


@pytest.mark.parametrize("name", PAGES)
def test_members_without_the_role_are_refused_after_the_committee_saw_the_page(client, name):
    commented(title="Glomerular filtration")
    client.force_login(CommitteeFactory())
    assert client.get(reverse(name)).status_code == 200
    for member in (TutorFactory(), UserFactory()):
        client.force_login(member)
        response = client.get(reverse(name))
        assert response.status_code == 403
        assert "Glomerular filtration" not in main(response.content.decode())


@pytest.mark.usefixtures("one_minute")
@pytest.mark.parametrize("name", PAGES)
def test_a_second_visit_costs_the_same_queries_at_two_history_sizes(client, name):
    client.force_login(CommitteeFactory())
    counts = []
    for sessions in (1, 6):
        for _ in range(sessions):
            commented()
        queries, _html = second_visit(client, reverse(name))
        counts.append(queries)
    assert counts[0] == counts[1]
    assert counts[1] <= 5


def test_the_queue_releases_in_sql_exactly_as_the_disclosure_rule_does():
    """The window is 14 days (setting): live window, extended only by a recording that became
    available before it closed."""
    released = commented()  # closed long ago, three answers
    too_few = commented(answers=2)  # closed, but fewer than k
    still_open = commented(days_ago=1)  # the live window has not closed
    extended = commented(days_ago=20)  # live window closed 6 days ago; a recording extends it
    late = commented(days_ago=40)  # a recording after the live window closed opens nothing
    for session, after in ((extended, 10), (late, 20)):
        ResourceFactory(
            kind=Resource.Kind.RECORDING,
            session=session,
            published_at=session.ends_at + timedelta(days=after),
        )
    sessions = TeachingSession.objects.filter(
        pk__in=[s.pk for s in (released, too_few, still_open, extended, late)]
    )
    in_sql = set(disclosure.released_sessions(sessions).values_list("pk", flat=True))
    assert in_sql == set(disclosure.released_ids(sessions)) == {released.pk, late.pk}
