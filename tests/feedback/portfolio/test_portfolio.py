"""The teaching portfolio: what it shows, what it never shows, reflections private until
included, a private link that stops working when revoked, and who may see which page."""

import pytest
from django.urls import reverse

from feedback.models import CareerLink, PortfolioLink
from feedback.models.observations import RUBRIC
from feedback.portfolio.selectors import academic_year, portfolio
from feedback.portfolio.services import (
    create_link,
    portfolio_pdf,
    revoke_link,
    save_reflection,
)
from feedback.services import FeedbackError
from feedback.services.observations import file_observation
from tests.factories import CommitteeFactory, TopicFactory, TutorFactory, UserFactory
from tests.factories.feedback import closed_by_now, give_feedback, past_session
from tests.factories.sessions import TeachingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def taught():
    """A tutor with one released session (3 responses) and one below the threshold (2), both
    with their feedback windows closed (feedback/disclosure.py releases only then)."""
    tutor = TutorFactory(full_name="Ada Tutor")
    topic = TopicFactory(title="Cardiac cycle")
    with closed_by_now():
        released, students = past_session(attendees=3, tutors=[tutor], days_ago=3, topic=topic)
        for s in students:
            give_feedback(s, released, overall=5)
        hidden, few = past_session(attendees=2, tutors=[tutor], days_ago=2, title="Renal tutorial")
        for s in few:
            give_feedback(s, hidden, overall=1)
    return tutor, released, hidden


def test_sessions_hours_years_and_topics_are_listed(taught):
    tutor, released, hidden = taught  # noqa: RUF059
    p = portfolio(tutor)
    assert p.sessions == 2 and p.total_hours == 2.0
    assert p.years == [academic_year(released.starts_at)]
    assert p.topics == [f"{released.topic.code} Cardiac cycle"]


def test_feedback_below_the_threshold_is_never_shown(taught, client):
    tutor, released, hidden = taught  # noqa: RUF059
    p = portfolio(tutor)
    assert p.responses == 3 and p.mean_overall == 5.0  # the two "1" answers are not in it
    assert all(q.n >= 3 for q in p.feedback)
    client.force_login(tutor)
    html = client.get(reverse("feedback:portfolio")).content.decode()
    assert "5.0 <span" in html
    renal_row = html.split("Renal tutorial", 1)[1].split("</tr>", 1)[0]
    assert "not released" in renal_row and "n=2" not in html


def test_a_shared_link_shows_included_reflections_only_and_404s_once_revoked(taught, client):
    tutor, released, hidden = taught
    save_reflection(tutor, released, "Slowed down for the ECG part.", in_portfolio=True)
    save_reflection(tutor, hidden, "Private worry about timing.", in_portfolio=False)
    link = create_link(tutor, "Foundation application")
    url = reverse("feedback:portfolio_shared", args=[link.token])
    html = client.get(url).content.decode()
    assert "Slowed down for the ECG part." in html
    assert "Private worry" not in html
    assert client.get(url + "portfolio.pdf")["Content-Type"] == "application/pdf"
    revoke_link(tutor, link)
    assert client.get(url).status_code == 404
    assert client.get(url + "portfolio.pdf").status_code == 404
    assert client.get(reverse("feedback:portfolio_shared", args=["guess"])).status_code == 404


def test_the_owner_sees_every_reflection_and_can_include_one(taught, client):
    tutor, released, hidden = taught  # noqa: RUF059
    r = save_reflection(tutor, hidden, "Private worry about timing.")
    client.force_login(tutor)
    assert "Private worry" in client.get(reverse("feedback:portfolio")).content.decode()
    client.post(reverse("feedback:portfolio_reflection_toggle", args=[r.pk]), {"include": "1"})
    r.refresh_from_db()
    assert r.in_portfolio
    assert [x.pk for x in portfolio(tutor).reflections] == [r.pk]


def test_reflections_only_on_sessions_taught_and_already_held(taught, client):
    tutor, released, hidden = taught  # noqa: RUF059
    other, _ = past_session(tutors=[TutorFactory()])
    with pytest.raises(FeedbackError, match="only on sessions you taught"):
        save_reflection(tutor, other, "x")
    with pytest.raises(FeedbackError, match="Write a sentence"):
        save_reflection(tutor, released, "  ")
    client.force_login(tutor)
    response = client.post(
        reverse("feedback:portfolio"), {"session": str(other.pk), "text": "Nice"}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not tutor.reflections.exists()


def test_someone_else_cannot_revoke_or_toggle_a_tutors_links(taught, client):
    tutor, released, _ = taught
    link = create_link(tutor)
    r = save_reflection(tutor, released, "Mine")
    client.force_login(TutorFactory())
    assert client.post(reverse("feedback:portfolio_link_revoke", args=[link.pk])).status_code == 404
    toggle = reverse("feedback:portfolio_reflection_toggle", args=[r.pk])
    assert client.post(toggle, {"include": "1"}).status_code == 404
    link.refresh_from_db()
    r.refresh_from_db()
    assert link.revoked_at is None and not r.in_portfolio


def test_the_pdf_holds_the_facts(taught):
    tutor, released, hidden = taught  # noqa: RUF059
    TeachingSessionFactory(tutors=[tutor])  # in the future: not yet taught
    data = portfolio_pdf(portfolio(tutor))
    assert data.startswith(b"%PDF")


def test_career_links_and_observations_appear(taught, client):
    tutor, released, _ = taught
    CareerLink.objects.create(title="Academy of Medical Educators", url="https://example.org/")
    file_observation(CommitteeFactory(), released, tutor, {k: 3 for k, _ in RUBRIC}, "Calm pace")
    client.force_login(tutor)
    html = client.get(reverse("feedback:portfolio")).content.decode()
    assert "Academy of Medical Educators" in html and "Calm pace" in html


@pytest.mark.parametrize(
    ("role", "status"), [("visitor", 302), ("student", 403), ("tutor", 200), ("committee", 200)]
)
def test_permissions_for_every_role(client, role, status):
    users = {"student": UserFactory, "tutor": TutorFactory, "committee": CommitteeFactory}
    if role in users:
        client.force_login(users[role]())
    assert client.get(reverse("feedback:portfolio")).status_code == status
    assert client.get(reverse("feedback:portfolio_pdf")).status_code == status
    assert PortfolioLink.objects.count() == 0
