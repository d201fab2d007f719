"""Fast track for returning tutors: each threshold on both sides, the record gathered from
sessions and feedback, a qualifying submission skipping the interview, and who sees what."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.models.observations import RUBRIC
from feedback.services.observations import file_observation
from tests.factories import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.feedback import closed_by_now, give_feedback, past_session
from tests.factories.tutors import APPLICATION_FIELDS, ApplicationFactory, RecruitmentRoundFactory
from tutors.models import Application, FastTrackRule
from tutors.recruitment.services.fasttrack import (
    evidence_for,
    judge,
    raise_concern,
    resolve_concern,
    verdict_for,
)
from tutors.recruitment.services.recruitment import save_application
from tutors.recruitment.services.reviewing import shortlist

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = pytest.mark.usefixtures("steady_minute")

A = Application.Status

RULE = FastTrackRule(
    enabled=True,
    min_sessions=3,
    min_mean=Decimal("4.00"),
    min_responses=10,
    min_observation_level=3,
)
GOOD = {
    "earlier_rounds": ["2025/26 T1"],
    "sessions_taught": 3,
    "responses": 10,
    "mean_feedback": 4.0,
    "best_observation": 3.0,
    "open_concerns": 0,
}


def test_evidence_exactly_at_every_threshold_qualifies():
    verdict = judge(RULE, GOOD)
    assert verdict.qualifies
    assert [c.met for c in verdict.checks] == [True] * 6


@pytest.mark.parametrize(
    ("key", "value", "label"),
    [
        ("earlier_rounds", [], "Taught in an earlier round"),
        ("sessions_taught", 2, "At least 3 sessions taught"),
        ("responses", 9, "At least 10 feedback responses"),
        ("mean_feedback", 3.99, "Mean overall feedback at least 4.00"),
        ("mean_feedback", None, "Mean overall feedback at least 4.00"),
        ("best_observation", 2.99, "Peer observation: good or better"),
        ("best_observation", None, "Peer observation: good or better"),
        ("open_concerns", 1, "No open concerns"),
    ],
)
def test_falling_just_short_of_one_threshold_does_not_qualify_and_says_which(key, value, label):
    verdict = judge(RULE, {**GOOD, key: value})
    assert not verdict.qualifies
    assert [c.label for c in verdict.missing] == [label]


def test_no_observation_level_means_no_observation_check():
    rule = FastTrackRule(
        enabled=True, min_sessions=3, min_mean=Decimal(4), min_responses=10, min_observation_level=0
    )
    verdict = judge(rule, {**GOOD, "best_observation": None})
    assert verdict.qualifies and not any("observation" in c.label for c in verdict.checks)


def test_a_round_without_an_enabled_rule_offers_nothing():
    assert not judge(None, GOOD).offered
    off = FastTrackRule(enabled=False)
    assert not judge(off, GOOD).qualifies


# ----- the real record --------------------------------------------------------------------


def _returning_tutor(overall=5, sessions=1, attendees=3, observe=4):
    tutor = TutorFactory()
    earlier = RecruitmentRoundFactory(
        applications_open=RecruitmentRoundFactory.applications_open.function() - timedelta(days=365)
    )
    ApplicationFactory(round=earlier, applicant=tutor, status=A.ACCEPTED)
    taught = []
    with closed_by_now():  # feedback counts once released: window closed with >= k responses
        for i in range(sessions):
            session, students = past_session(attendees=attendees, tutors=[tutor], days_ago=2 + i)
            for s in students:
                give_feedback(s, session, overall=overall)
            taught.append(session)
    if observe:
        file_observation(
            CommitteeFactory(), taught[0], tutor, {k: observe for k, _ in RUBRIC}, "Clear."
        )
    return tutor, earlier


@pytest.fixture
def round_with_rule(db):
    round = RecruitmentRoundFactory()
    FastTrackRule.objects.create(
        round=round,
        enabled=True,
        min_sessions=2,
        min_mean=Decimal("4.5"),
        min_responses=6,
        min_observation_level=3,
    )
    return round


def test_the_record_comes_from_sessions_feedback_and_observations(round_with_rule):
    tutor, earlier = _returning_tutor(sessions=2, overall=5)
    evidence = evidence_for(tutor, round_with_rule)
    assert evidence == {
        "earlier_rounds": [earlier.name],
        "sessions_taught": 2,
        "responses": 6,
        "mean_feedback": 5.0,
        "best_observation": 4.0,
        "open_concerns": 0,
    }
    assert verdict_for(tutor, round_with_rule)[0].qualifies


def test_feedback_below_the_release_threshold_does_not_count(round_with_rule):
    tutor, _ = _returning_tutor(sessions=2, attendees=2)  # 2 < 3 responses: not released
    evidence = evidence_for(tutor, round_with_rule)
    assert evidence["responses"] == 0 and evidence["mean_feedback"] is None
    assert not verdict_for(tutor, round_with_rule)[0].qualifies


def test_an_open_concern_blocks_the_fast_track_until_resolved(round_with_rule):
    tutor, _ = _returning_tutor(sessions=2)
    concern = raise_concern(CommitteeFactory(), tutor, "Late twice")
    assert not verdict_for(tutor, round_with_rule)[0].qualifies
    resolve_concern(CommitteeFactory(), concern)
    assert verdict_for(tutor, round_with_rule)[0].qualifies


def test_a_qualifying_submission_skips_the_interview_with_the_evidence_kept(round_with_rule):
    tutor, _ = _returning_tutor(sessions=2)
    newcomer = UserFactory()
    fast = save_application(tutor, round_with_rule, APPLICATION_FIELDS, {}, submit=True)
    plain = save_application(newcomer, round_with_rule, APPLICATION_FIELDS, {}, submit=True)
    assert fast.fast_track and fast.fast_track_evidence["sessions_taught"] == 2
    assert not plain.fast_track and plain.fast_track_evidence == {}
    assert shortlist(CommitteeFactory(), [fast, plain]) == 1
    fast.refresh_from_db()
    plain.refresh_from_db()
    assert fast.status == A.SUBMITTED and plain.status == A.SHORTLISTED


def test_a_returning_tutor_who_falls_short_is_not_fast_tracked(round_with_rule):
    tutor, _ = _returning_tutor(sessions=1)  # needs 2 sessions
    app = save_application(tutor, round_with_rule, APPLICATION_FIELDS, {}, submit=True)
    assert not app.fast_track


# ----- pages ----------------------------------------------------------------------------


def test_the_applicant_sees_the_rule_and_why_they_qualify(client, round_with_rule):
    tutor, _ = _returning_tutor(sessions=2)
    client.force_login(tutor)
    html = client.get(reverse("tutors_fast_track")).content.decode()
    assert "You qualify" in html and "2 taught" in html
    assert "at least 4.5 out of 5, over at least 6 responses" in html


def test_a_member_who_falls_short_sees_what_is_missing(client, round_with_rule):
    client.force_login(UserFactory())
    html = client.get(reverse("tutors_fast_track")).content.decode()
    assert "You do not qualify yet" in html and "No earlier round as a tutor" in html


def test_the_apply_page_points_to_the_rule(client, round_with_rule):
    client.force_login(UserFactory())
    assert reverse("tutors_fast_track") in client.get(reverse("tutors_apply")).content.decode()


def test_reviewers_see_the_evidence_on_the_application(client, round_with_rule):
    tutor, _ = _returning_tutor(sessions=2)
    app = save_application(tutor, round_with_rule, APPLICATION_FIELDS, {}, submit=True)
    client.force_login(CommitteeFactory())
    url = reverse("tutors_committee_application", args=[round_with_rule.pk, app.pk])
    html = client.get(url).content.decode()
    assert "Fast track: no interview" in html and "2 sessions taught" in html


def test_the_committee_sets_the_rule_and_bad_values_change_nothing(client, db):
    round = RecruitmentRoundFactory()
    client.force_login(CommitteeFactory())
    url = reverse("tutors_committee_fast_track", args=[round.pk])
    data = {
        "enabled": "on",
        "min_sessions": "4",
        "min_responses": "12",
        "min_mean": "4.2",
        "min_observation_level": "2",
        "note": "",
    }
    assert client.post(url, data).status_code == 302
    rule = FastTrackRule.objects.get(round=round)
    assert (rule.min_sessions, rule.min_mean, rule.min_observation_level) == (4, Decimal("4.2"), 2)
    response = client.post(url, {**data, "min_mean": "7", "min_sessions": "9"})
    assert response.status_code == 200 and "less than or equal to 5" in response.content.decode()
    rule.refresh_from_db()
    assert rule.min_sessions == 4


@pytest.mark.parametrize(
    ("role", "applicant_page", "committee_page"),
    [("visitor", 302, 302), ("student", 200, 403), ("tutor", 200, 403), ("committee", 200, 200)],
)
def test_permissions_for_every_role(client, db, role, applicant_page, committee_page):
    round = RecruitmentRoundFactory()
    users = {"student": UserFactory, "tutor": TutorFactory, "committee": CommitteeFactory}
    if role in users:
        client.force_login(users[role]())
    assert client.get(reverse("tutors_fast_track")).status_code == applicant_page
    url = reverse("tutors_committee_fast_track", args=[round.pk])
    assert client.get(url).status_code == committee_page


def test_the_committee_records_and_resolves_concerns_on_its_page(client, round_with_rule):
    tutor, _ = _returning_tutor(sessions=2)
    client.force_login(CommitteeFactory())
    url = reverse("tutors_committee_concerns")
    bad = client.post(url, {"action": "raise", "email": "nobody@x.test", "summary": "Late"})
    assert "No member has this email address." in bad.content.decode()
    client.post(url, {"action": "raise", "email": tutor.email, "summary": "Late twice"})
    assert not verdict_for(tutor, round_with_rule)[0].qualifies
    concern = tutor.tutor_concerns.get()
    client.post(url, {"action": "resolve", "concern": concern.pk})
    assert verdict_for(tutor, round_with_rule)[0].qualifies
    client.force_login(tutor)
    assert client.get(url).status_code == 403


# ----- the page is remembered: fresh, personal, the same cost whatever the record -------------


def _page(client) -> str:
    return client.get(reverse("tutors_fast_track")).content.decode()


def test_a_concern_raised_or_resolved_shows_on_the_next_visit(client, round_with_rule):
    tutor, _ = _returning_tutor(sessions=2)
    client.force_login(tutor)
    assert "You qualify" in _page(client)
    concern = raise_concern(CommitteeFactory(), tutor, "Late twice")
    assert "You do not qualify yet" in _page(client)
    resolve_concern(CommitteeFactory(), concern)
    assert "You qualify" in _page(client)


def test_two_members_never_see_each_others_verdict(client, round_with_rule):
    tutor, _ = _returning_tutor(sessions=2)
    client.force_login(tutor)
    assert "You qualify" in _page(client)
    client.force_login(UserFactory())
    assert "You do not qualify yet" in _page(client)
    client.force_login(tutor)
    assert "You qualify" in _page(client)


def test_a_second_visit_costs_the_same_queries_for_a_short_and_a_long_record(
    client, round_with_rule
):
    def second_visit(sessions: int) -> int:
        client.force_login(_returning_tutor(sessions=sessions)[0])
        _page(client)
        with CaptureQueriesContext(connection) as ctx:
            assert "Fast track" in _page(client)
        return len(ctx.captured_queries)

    assert second_visit(1) == second_visit(6) <= 3
