"""The committee's resources page reads what it prints, in the same statements for 1 resource as
for 20: each resource with its session (and the queue's uploader), no topic or file version."""

import pytest
from django.core.cache import cache

from sessions_app.resources.models import Resource
from tests.factories.core import CommitteeFactory, TopicFactory
from tests.factories.resources import ResourceFactory
from tests.factories.sessions import TeachingSessionFactory
from tests.support.remembering import page_and_statements

pytestmark = pytest.mark.django_db


def _resources(n: int) -> None:
    for i in range(n):
        status = Resource.Status.AWAITING_REVIEW if i % 2 else Resource.Status.PUBLISHED
        ResourceFactory(
            session=TeachingSessionFactory(), topics=[TopicFactory()], status=status, with_file=True
        )


def _visit(client) -> tuple[str, list[str]]:
    cache.clear()  # the whole page computed, as after a write
    return page_and_statements(client, "/committee/resources/")


def test_the_page_reads_no_topic_or_version_and_the_same_for_1_and_20(client):
    client.force_login(CommitteeFactory())
    _resources(1)
    _, one = _visit(client)
    _resources(19)
    html, twenty = _visit(client)
    assert len(twenty) == len(one)
    read = " ".join(twenty)
    assert "meded_topic" not in read and "sessions_app_resourceversion" not in read
    assert html.count("Unpublish<span") == 11 and "Awaiting review (9)" in html
