"""A member's roles are read once per request by a statement compiled once per process
(meded/roles.py): a page that checks them builds no query of the groups, and a role given or
taken shows on the member's next request."""

import pytest

from meded.models import User
from meded.roles import forget_roles, is_committee, is_tutor
from tests.factories.core import TutorFactory, UserFactory
from tests.support.remembering import orm_compiles  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_roles_are_read_without_compiling_the_groups_query(orm_compiles):  # noqa: F811
    is_tutor(UserFactory())  # the first read in this process compiles it
    tutor = User.objects.get(pk=TutorFactory().pk)
    orm_compiles.clear()
    assert is_tutor(tutor) and not is_committee(tutor)
    assert not [sql for sql in orm_compiles if "auth_group" in sql], orm_compiles


def test_a_role_taken_shows_on_the_next_read(client):
    tutor = TutorFactory()
    client.force_login(tutor)
    assert client.get("/teaching/dates/").status_code == 200
    tutor.groups.clear()
    forget_roles(tutor)
    assert not is_tutor(tutor)
    assert client.get("/teaching/dates/").status_code == 403
