"""A former tutor no longer manages the resources they uploaded."""

import pytest
from django.contrib.auth.models import Group

from meded.models import User
from meded.roles import TUTORS_GROUP, forget_roles
from sessions_app.resources.services import can_manage
from tests.factories.core import PASSWORD, CommitteeFactory
from tests.factories.resources import ResourceFactory

pytestmark = pytest.mark.django_db


def test_a_former_tutor_cannot_edit_their_old_upload(client):
    resource = ResourceFactory(with_file=True, title="Renal slides")
    tutor = resource.uploaded_by
    client.login(email=tutor.email, password=PASSWORD)
    assert client.get(f"/resources/{resource.pk}/edit/").status_code == 200
    tutor.groups.remove(Group.objects.get(name=TUTORS_GROUP))
    forget_roles(tutor)
    tutor = User.objects.get(pk=tutor.pk)
    assert not can_manage(tutor, resource)
    assert client.get(f"/resources/{resource.pk}/edit/").status_code == 403
    before = resource.title
    client.post(f"/resources/{resource.pk}/edit/", {"title": "Taken over"})
    resource.refresh_from_db()
    assert resource.title == before
    assert can_manage(CommitteeFactory(), resource)
