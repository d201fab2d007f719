"""The committee's feedback filters read every round once, for the list to choose from, the
default round and the chosen round's dates: the dashboard and the report computed afresh (after
any write) do not ask for rounds again and again."""

import pytest
from django.core.cache import cache

from tests.factories.core import CommitteeFactory
from tests.factories.tutors import RecruitmentRoundFactory
from tests.support.remembering import page_and_statements

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/committee/feedback/", "/committee/feedback/report/"])
@pytest.mark.parametrize("query", ["", "?round=", "?round={first}"])
def test_rounds_are_read_once(client, url, query):
    first = RecruitmentRoundFactory()
    RecruitmentRoundFactory(applications_open=first.applications_open.replace(year=2000))
    client.force_login(CommitteeFactory())
    cache.clear()
    html, statements = page_and_statements(client, url + query.format(first=first.pk))
    assert first.name in html
    from_rounds = [s for s in statements if 'FROM "tutors_recruitmentround"' in s]
    # the list of every round, and the chosen one as the form cleans it (none for "All rounds")
    assert len(from_rounds) <= 2, from_rounds
