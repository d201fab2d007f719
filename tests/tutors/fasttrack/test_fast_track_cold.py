"""The fast-track page read cold (after a write to every table): the rule, the earlier rounds,
the open concerns and the teaching record come from reads compiled once per process, and the
record is the one the whole portfolio gives."""

import pytest
from django.urls import reverse

from feedback.portfolio.selectors import portfolio, teaching_record
from tests.support.remembering import cold_compiled, orm_compiles  # noqa: F401 (a fixture)
from tests.tutors.fasttrack.test_fast_track import _returning_tutor, round_with_rule  # noqa: F401
from tutors.recruitment.services.fasttrack import raise_concern

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]


def test_the_record_is_the_one_the_whole_portfolio_gives(round_with_rule):  # noqa: F811
    tutor, _ = _returning_tutor(sessions=2, overall=4)
    p = portfolio(tutor)
    assert (
        teaching_record(user=tutor)
        == {
            "sessions_taught": p.sessions,
            "responses": p.responses,
            "mean_feedback": p.mean_overall,
            "best_observation": p.best_observation,
        }
        == {"sessions_taught": 2, "responses": 6, "mean_feedback": 4.0, "best_observation": 4.0}
    )


def test_a_cold_visit_compiles_only_the_members_own_reads(client, round_with_rule, orm_compiles):  # noqa: F811
    tutor, earlier = _returning_tutor(sessions=2)
    client.force_login(tutor)
    url = reverse("tutors_fast_track")
    cold_compiled(client, url, orm_compiles)  # the process's first visit compiles its reads
    page, compiled = cold_compiled(client, url, orm_compiles)
    assert len(compiled) <= 2, "\n".join(compiled)  # the member and their roles
    assert "You qualify" in page and earlier.name in page
    raise_concern(tutor, tutor, "Late twice")
    page, _ = cold_compiled(client, url, orm_compiles)
    assert "You do not qualify yet" in page and "1 open" in page
