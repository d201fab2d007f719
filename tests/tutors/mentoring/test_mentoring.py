"""Mentoring and buddy schemes: exact, explained matching through the allocation engine,
locks and forbidden pairs, introductions to both, check-ins once per week, private changes."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from meded.models import SentEmail
from meded.notifications import mailings
from tests.factories import CommitteeFactory, TutorFactory, UserFactory
from tests.support.mailings import confirm_action, confirm_on_the_page
from tutors.mentoring import matching
from tutors.mentoring.models import ChangeRequest, CheckIn, MentorPair, PairRule, SchemeKind
from tutors.mentoring.services import (
    MentoringError,
    answer_check_in,
    ask_for_mentor,
    choose_new_mentor,
    create_scheme,
    introduction_preview,
    offer_to_mentor,
    request_change,
    run_matching,
    send_due_check_ins,
    set_rule,
)

INTRODUCE = "tutors.introduce_mentoring"


def M(id, cap, topics, year=5):
    return matching.Mentor(id, cap, frozenset(topics), year)


def E(id, priorities, year=2):
    return matching.Mentee(id, tuple(priorities), year)


def test_the_engine_gives_everyone_their_best_fit_when_it_can():
    # Both fit Bea equally; the closer fit (exams only) ranks first, so both get a 1st choice.
    mentors = [M("exams", 1, {"exams"}), M("both", 1, {"exams", "career"})]
    mentees = [E("ann", ["exams", "career"]), E("bea", ["exams"])]
    matches, result, _ = matching.match(mentors, mentees)
    got = {m.mentee: (m.mentor, m.rank) for m in matches}
    assert got == {"ann": ("both", 1), "bea": ("exams", 1)}
    assert result.statistics is not None


def test_a_mentor_is_always_in_a_later_year_and_unshared_mentors_only_fill_places():
    mentors = [M("junior", 1, {"exams"}, year=2), M("senior", 1, {"research"}, year=5)]
    matches, _, _ = matching.match(mentors, [E("cat", ["exams"], year=3)])
    assert [(m.mentor, m.rank) for m in matches] == [("senior", None)]
    assert "paired so nobody is left out" in matches[0].why


def test_every_match_is_explained_including_who_was_better_placed():
    mentors = [M("x", 1, {"exams"}), M("y", 1, {"career"})]
    mentees = [E("a", ["exams"]), E("b", ["exams", "career"])]
    matches = {m.mentee: m for m in matching.match(mentors, mentees)[0]}
    assert matches["a"].why == "Their choice 1 of 1, sharing exams."
    assert matches["b"].why.startswith("Their choice 2 of 2, sharing career.")
    assert "Better-placed mentors: Filled by mentees who ranked it equally" in matches["b"].why


def test_locks_and_forbidden_pairs_are_obeyed():
    mentors = [M("x", 1, {"exams"}), M("y", 1, {"career"})]
    mentees = [E("a", ["exams"]), E("b", ["career"])]
    locked = {("a", "y")}
    matches = matching.match(mentors, mentees, locked=locked)[0]
    assert {(m.mentee, m.mentor, m.locked) for m in matches} >= {("a", "y", True)}
    matches = matching.match(mentors, mentees, forbidden={("a", "x")})[0]
    assert ("a", "x") not in {(m.mentee, m.mentor) for m in matches}


# ----- the whole flow ------------------------------------------------------------------------


@pytest.fixture
def scheme(db):
    return create_scheme(CommitteeFactory(), "Mentoring 2026/27", SchemeKind.MENTORING, "2,6")


def test_the_flow_from_sign_up_to_introduction_and_check_in(scheme):
    mentor = UserFactory(year_of_study="5")
    mentee = UserFactory(year_of_study="2")
    offer_to_mentor(mentor, scheme, 2, ["exams", "wellbeing"])
    ask_for_mentor(mentee, scheme, ["wellbeing", "career"])
    (pair,) = run_matching(CommitteeFactory(), scheme)
    assert (pair.mentor, pair.mentee, pair.rank) == (mentor, mentee, 1)
    assert pair.shared_topics == ["wellbeing"]
    assert [p for p, _ in introduction_preview(scheme)] == [mentee, mentor]
    assert not SentEmail.objects.filter(kind="mentoring_introduction").exists()
    assert confirm_action(CommitteeFactory(), INTRODUCE, scheme.pk).recipient_count == 2
    assert set(
        SentEmail.objects.filter(kind="mentoring_introduction").values_list("recipient", flat=True)
    ) == {mentor.pk, mentee.pk}
    with pytest.raises(MentoringError, match="cannot be re-run"):
        run_matching(CommitteeFactory(), scheme)
    pair.refresh_from_db()
    assert send_due_check_ins(now=pair.introduced_at + timedelta(days=13)) == 0
    assert send_due_check_ins(now=pair.introduced_at + timedelta(weeks=2)) == 1
    assert send_due_check_ins(now=pair.introduced_at + timedelta(weeks=3)) == 0  # once
    assert send_due_check_ins(now=pair.introduced_at + timedelta(weeks=9)) == 1  # catches up
    check_in = CheckIn.objects.get(pair=pair, week=2)
    answer_check_in(mentee, check_in, True)
    check_in.refresh_from_db()
    assert check_in.met is True
    with pytest.raises(MentoringError):
        answer_check_in(UserFactory(), check_in, False)


def test_sign_up_rules(scheme):
    with pytest.raises(MentoringError, match="year 3 or later"):
        offer_to_mentor(UserFactory(year_of_study="2"), scheme, 1, ["exams"])
    with pytest.raises(MentoringError, match="Choose at least one"):
        ask_for_mentor(UserFactory(), scheme, [])
    with pytest.raises(MentoringError, match="Unknown choice"):
        ask_for_mentor(UserFactory(), scheme, ["gossip"])
    buddy = create_scheme(CommitteeFactory(), "Buddies", SchemeKind.BUDDY)
    with pytest.raises(MentoringError, match="for first-years"):
        ask_for_mentor(UserFactory(year_of_study="3"), buddy, ["social"])
    ask_for_mentor(UserFactory(year_of_study="1"), buddy, ["social"])


def test_a_locked_pair_from_the_committee_is_kept_by_the_next_matching(scheme):
    a, b = UserFactory(year_of_study="5"), UserFactory(year_of_study="6")
    m = UserFactory(year_of_study="2")
    offer_to_mentor(a, scheme, 1, ["exams"])
    offer_to_mentor(b, scheme, 1, ["research"])
    ask_for_mentor(m, scheme, ["exams"])
    assert run_matching(CommitteeFactory(), scheme)[0].mentor == a
    set_rule(CommitteeFactory(), scheme, b, m, PairRule.Kind.LOCK)
    (pair,) = run_matching(CommitteeFactory(), scheme)
    assert pair.mentor == b and pair.locked and "locked" in pair.explanation


def test_a_mentee_asks_privately_for_a_change_and_the_committee_resolves_it(scheme, client):
    mentor, other = UserFactory(year_of_study="5"), UserFactory(year_of_study="6")
    mentee = UserFactory(year_of_study="2")
    committee = CommitteeFactory()
    offer_to_mentor(mentor, scheme, 1, ["exams"])
    offer_to_mentor(other, scheme, 1, ["career"])
    ask_for_mentor(mentee, scheme, ["exams"])
    run_matching(committee, scheme)
    confirm_action(committee, INTRODUCE, scheme.pk)
    pair = MentorPair.objects.get(mentee=mentee)
    with pytest.raises(MentoringError, match="Only the mentee"):
        request_change(mentor, pair, "")
    client.force_login(mentee)
    response = client.post(reverse("mentoring_change", args=[pair.pk]), {"reason": "Clash"})
    assert response.status_code == 302
    change = pair.change_requests.get()
    mails = SentEmail.objects.filter(kind="mentoring_change_requested")
    assert committee.pk in set(mails.values_list("recipient", flat=True))
    assert mentor.pk not in set(mails.values_list("recipient", flat=True))
    assert (
        not SentEmail.objects.filter(recipient=mentor)
        .exclude(kind="mentoring_introduction")
        .exists()
    )
    choose_new_mentor(committee, change, other)
    assert not SentEmail.objects.filter(kind="mentoring_introduction", recipient=other).exists()
    mailing = confirm_action(committee, "tutors.mentoring_new_pair", change.pk)
    new = MentorPair.objects.get(mentor=other)
    pair.refresh_from_db()
    assert pair.ended_at and new.mentee == mentee and new.introduced_at
    assert SentEmail.objects.filter(kind="mentoring_introduction", recipient=other).exists()
    mailings.undo(committee, mailing.pk)  # within the window: the old pairing comes back
    pair.refresh_from_db()
    assert pair.ended_at is None and not MentorPair.objects.filter(mentor=other).exists()
    assert not ChangeRequest.objects.get(pk=change.pk).resolved_at


def test_check_in_is_two_clicks_and_only_for_the_pair(scheme, client):
    mentor, mentee = UserFactory(year_of_study="5"), UserFactory(year_of_study="2")
    offer_to_mentor(mentor, scheme, 1, ["exams"])
    ask_for_mentor(mentee, scheme, ["exams"])
    run_matching(CommitteeFactory(), scheme)
    confirm_action(CommitteeFactory(), INTRODUCE, scheme.pk)
    with time_machine.travel(timezone.now() + timedelta(weeks=2, minutes=1)):
        send_due_check_ins()
    check_in = CheckIn.objects.get()
    url = reverse("mentoring_check_in", args=[check_in.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(mentee)
    assert client.post(url, {"met": "no"}).status_code == 302
    check_in.refresh_from_db()
    assert check_in.met is False


def test_pages_through_the_forms(scheme, client):
    client.force_login(UserFactory(year_of_study="5"))
    r = client.post(reverse("mentoring_offer", args=[scheme.pk]), {"capacity": "9"})
    assert r.status_code == 200 and "less than or equal to 5" in r.content.decode()
    r = client.post(
        reverse("mentoring_offer", args=[scheme.pk]), {"capacity": "2", "topics": ["exams"]}
    )
    assert r.status_code == 302
    client.force_login(UserFactory(year_of_study="2"))
    r = client.post(
        reverse("mentoring_ask", args=[scheme.pk]),
        {"priority_1": "exams", "priority_2": "exams"},
    )
    assert "Choose each thing once" in r.content.decode()
    r = client.post(
        reverse("mentoring_ask", args=[scheme.pk]), {"priority_1": "exams", "priority_2": "career"}
    )
    assert r.status_code == 302
    client.force_login(CommitteeFactory())
    url = reverse("mentoring_committee_scheme", args=[scheme.pk])
    client.post(url, {"action": "match"})
    html = client.get(url + "?preview=introduce").content.decode()
    assert "2 introduction emails" in html and "Their choice 1 of 1" in html
    response = client.post(url, {"action": "introduce"})
    assert not SentEmail.objects.filter(kind="mentoring_introduction").exists()  # the preview first
    assert "Confirmed: 2 email(s) held" in confirm_on_the_page(client, response).content.decode()
    assert SentEmail.objects.filter(kind="mentoring_introduction").count() == 2


@pytest.mark.parametrize(
    ("role", "member", "committee"),
    [("visitor", 302, 302), ("student", 200, 403), ("tutor", 200, 403), ("committee", 200, 200)],
)
def test_permissions_for_every_role(client, scheme, role, member, committee):
    users = {"student": UserFactory, "tutor": TutorFactory, "committee": CommitteeFactory}
    if role in users:
        client.force_login(users[role]())
    assert client.get(reverse("mentoring_home")).status_code == member
    assert client.get(reverse("mentoring_committee")).status_code == committee
    url = reverse("mentoring_committee_scheme", args=[scheme.pk])
    assert client.get(url).status_code == committee


def _profile(ranks, n):
    """Greedy objective as a comparable tuple: matched, then 1st choices, 2nd, ..."""
    ranks = [r for r in ranks if r is not None]
    return (len(ranks), *[ranks.count(k) for k in range(1, n + 1)])


def test_matching_is_the_exact_optimum_on_random_small_schemes():
    import itertools
    import random

    topics = ["career", "exams", "wellbeing", "research", "returning"]
    rng = random.Random(18)
    for _ in range(40):
        mentors = [
            M(f"m{i}", rng.randint(1, 2), set(rng.sample(topics, rng.randint(1, 3))), 5)
            for i in range(3)
        ]
        mentees = [E(f"e{i}", rng.sample(topics, rng.randint(1, 3))) for i in range(4)]
        matches, _, inputs = matching.match(mentors, mentees)
        got = _profile([m.rank for m in matches], len(mentors))
        rankings = {t.id: t.ranking for t in inputs.tutors}
        best = None
        options = [[None, *rankings[e.id]] for e in mentees]
        for choice in itertools.product(*options):
            load = {m.id: 0 for m in mentors}
            for c in choice:
                if c:
                    load[c] += 1
            if any(load[m.id] > m.capacity for m in mentors):
                continue
            ranks = [
                rankings[e.id].index(c) + 1 if c else None
                for e, c in zip(mentees, choice, strict=True)
            ]
            profile = _profile(ranks, len(mentors))
            best = max(best, profile) if best else profile
        assert got == best


@pytest.mark.parametrize(
    "introduced",
    ["2026-03-20T12:00:00+00:00", "2026-10-18T12:00:00+00:00"],  # across GMT->BST, BST->GMT
)
def test_a_check_in_is_due_exactly_its_weeks_later_across_a_clock_change(scheme, introduced):
    from datetime import datetime

    mentor, mentee = UserFactory(year_of_study="5"), UserFactory(year_of_study="2")
    offer_to_mentor(mentor, scheme, 1, ["exams"])
    ask_for_mentor(mentee, scheme, ["exams"])
    run_matching(CommitteeFactory(), scheme)
    at = datetime.fromisoformat(introduced)
    with time_machine.travel(at, tick=False):
        confirm_action(CommitteeFactory(), INTRODUCE, scheme.pk)
    due = at + timedelta(weeks=2)
    assert send_due_check_ins(now=due - timedelta(minutes=1)) == 0
    assert send_due_check_ins(now=due) == 1


def test_the_committee_locks_any_pair_from_its_page_and_the_rerun_obeys(scheme, client):
    a, b = UserFactory(year_of_study="5"), UserFactory(year_of_study="6")
    m = UserFactory(year_of_study="2")
    offer_to_mentor(a, scheme, 1, ["exams"])
    offer_to_mentor(b, scheme, 1, ["research"])
    ask_for_mentor(m, scheme, ["exams"])
    client.force_login(CommitteeFactory())
    url = reverse("mentoring_committee_scheme", args=[scheme.pk])
    client.post(url, {"action": "match"})
    assert MentorPair.objects.get().mentor == a
    client.post(url, {"action": "lock", "mentor": b.pk, "mentee": m.pk})
    client.post(url, {"action": "match"})
    pair = MentorPair.objects.get()
    assert pair.mentor == b and pair.locked
    client.force_login(m)
    assert client.get(reverse("mentoring_home")).status_code == 200


def test_introductions_are_held_and_undo_unintroduces_the_pairs(scheme):
    from datetime import UTC, datetime

    from meded.notifications import mailings
    from meded.notifications.mailings import MailingError
    from tutors.mentoring.models import SchemeState

    mentor, mentee = UserFactory(year_of_study="5"), UserFactory(year_of_study="2")
    offer_to_mentor(mentor, scheme, 1, ["exams"])
    ask_for_mentor(mentee, scheme, ["exams"])
    run_matching(CommitteeFactory(), scheme)
    chair = CommitteeFactory()
    start = datetime(2026, 10, 25, 0, 55, tzinfo=UTC)  # across the clocks going back
    with time_machine.travel(start, tick=False):
        mailing = confirm_action(chair, INTRODUCE, scheme.pk)
        assert MentorPair.objects.get().introduced_at == start
        assert set(mailing.emails.values_list("status", flat=True)) == {"held"}
    with time_machine.travel(start + timedelta(minutes=9), tick=False):
        mailings.undo(chair, mailing.pk)
    scheme.refresh_from_db()
    assert scheme.state == SchemeState.MATCHING and MentorPair.objects.get().introduced_at is None
    assert set(mailing.emails.values_list("status", flat=True)) == {"cancelled"}
    run_matching(CommitteeFactory(), scheme)  # the pairs can be matched again
    again = confirm_action(chair, INTRODUCE, scheme.pk)
    with (
        time_machine.travel(again.release_at, tick=False),
        pytest.raises(MailingError, match="Too late"),
    ):
        mailings.undo(chair, again.pk)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_confirmations_of_the_introductions_at_once_introduce_once():
    from meded.notifications import mailings
    from meded.notifications.mailings import MailingError
    from meded.notifications.models import Mailing
    from tests.support.concurrency import run_together

    scheme = create_scheme(CommitteeFactory(), "Mentoring race", SchemeKind.MENTORING, "2,6")
    for _ in range(2):
        offer_to_mentor(UserFactory(year_of_study="5"), scheme, 1, ["exams"])
        ask_for_mentor(UserFactory(year_of_study="2"), scheme, ["exams"])
    run_matching(CommitteeFactory(), scheme)
    shown = mailings.preview(INTRODUCE, scheme.pk)
    outcome = run_together(
        [lambda: mailings.confirm(None, INTRODUCE, scheme.pk, expected=shown.fingerprint)] * 2,
        refused_by=(MailingError, MentoringError),
    )
    assert outcome.errors == []
    assert len(outcome.done) == 1 and len(outcome.refused) == 1
    assert Mailing.objects.count() == 1
    assert SentEmail.objects.filter(kind="mentoring_introduction").count() == 4


def test_the_committee_page_sends_a_new_pairing_through_the_preview(scheme, client):
    mentor, other = UserFactory(year_of_study="5"), UserFactory(year_of_study="6")
    mentee = UserFactory(year_of_study="2")
    offer_to_mentor(mentor, scheme, 1, ["exams"])
    offer_to_mentor(other, scheme, 1, ["career"])
    ask_for_mentor(mentee, scheme, ["exams"])
    committee = CommitteeFactory()
    run_matching(committee, scheme)
    confirm_action(committee, INTRODUCE, scheme.pk)
    change = request_change(mentee, MentorPair.objects.get(mentee=mentee), "Clash")
    client.force_login(committee)
    url = reverse("mentoring_committee_scheme", args=[scheme.pk])
    chosen = client.post(url, {"action": "resolve", "change": change.pk, "new_mentor": other.pk})
    assert "/committee/mailings/new/tutors.mentoring_new_pair/" in chosen["Location"]
    assert not MentorPair.objects.filter(mentor=other).exists()  # nothing before confirming
    page = confirm_on_the_page(client, chosen).content.decode()
    assert "Confirmed: 2 email(s) held" in page
    assert MentorPair.objects.get(mentor=other).mentee == mentee
