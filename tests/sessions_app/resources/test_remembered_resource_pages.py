"""The resource edit form and the committee's resource review are remembered (meded.remember):
a change made through the service shows on the very next visit, a member who may not manage a
resource never gets its form, and a second visit costs the same queries at two data sizes."""

import pytest
from django.urls import reverse

from sessions_app.resources import services
from tests.factories import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.resources import ResourceFactory
from tests.support.remembering import one_minute, second_visit  # noqa: F401 (a fixture)

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]


def edit_url(resource) -> str:
    return reverse("sessions_app:resource_edit", args=[resource.pk])


def main(html: str) -> str:
    return html.split("<main", 1)[-1]


def test_details_changed_by_the_service_show_on_the_next_visit_of_the_form(client):
    resource = ResourceFactory(title="Heart sounds")
    committee = CommitteeFactory()
    client.force_login(committee)
    assert 'value="Heart sounds"' in client.get(edit_url(resource)).content.decode()
    services.update_details(committee, resource, title="Heart sounds and murmurs")
    assert 'value="Heart sounds and murmurs"' in client.get(edit_url(resource)).content.decode()


def test_the_uploader_and_the_committee_each_get_the_form_and_others_are_refused(client):
    resource = ResourceFactory(title="Acid-base")
    client.force_login(CommitteeFactory())
    assert client.get(edit_url(resource)).status_code == 200
    client.force_login(resource.uploaded_by)
    assert client.get(edit_url(resource)).status_code == 200
    for member in (TutorFactory(), UserFactory()):
        client.force_login(member)
        response = client.get(edit_url(resource))
        assert response.status_code == 403
        assert "Acid-base" not in main(response.content.decode())


def test_a_resource_published_by_the_service_leaves_the_review_queue_at_once(client):
    resource = ResourceFactory(title="Draft renal notes", status="awaiting_review", with_file=True)
    committee = CommitteeFactory()
    client.force_login(committee)
    url = reverse("sessions_app:resource_review")
    before = main(client.get(url).content.decode())
    services.publish(committee, resource)
    after = main(client.get(url).content.decode())
    assert before != after


@pytest.mark.usefixtures("one_minute")
@pytest.mark.parametrize("page", ["review", "edit"])
def test_a_second_visit_costs_the_same_queries_with_few_and_many_resources(client, page):
    client.force_login(CommitteeFactory())
    counts = []
    for extra in (1, 30):
        resources = ResourceFactory.create_batch(extra)
        url = reverse("sessions_app:resource_review") if page == "review" else None
        queries, _html = second_visit(client, url or edit_url(resources[0]))
        counts.append(queries)
    assert counts[0] == counts[1]
    assert counts[1] <= 5
