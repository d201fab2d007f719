"""Topic swaps after publication: tutors offer, top trading cycles proposes, the committee
approves (previewed emails, undo window), the allocation and the draft sessions follow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meded.notifications import mailings
from meded.notifications.mailings import MailingError
from meded.notifications.models import SentEmail
from tests.factories.allocation import (
    OfferingFactory,
    accepted_tutor,
    published_pairs,
    rank,
    ranking_round,
)
from tests.factories.core import CommitteeFactory, UserFactory
from tests.factories.sessions import TeachingSessionFactory
from tests.support.mailings import confirm_action, confirm_and_release
from tutors.allocation.services import swaps
from tutors.models import AllocatedTopic, AllocationChange, RecruitmentRound, SwapOffer

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
APPROVE = "tutors.approve_swaps"


@pytest.fixture
def market():
    """Ann teaches X but ranked Y first; Bob teaches Y but ranked X first; Cat teaches Z and
    wants X too. All three offer: Ann and Bob swap, Cat keeps Z."""
    round = ranking_round(state=RecruitmentRound.State.PUBLISHED)
    x, y, z = (OfferingFactory(round=round) for _ in range(3))
    ann, bob, cat = (accepted_tutor(round, full_name=n) for n in ("Ann", "Bob", "Cat"))
    rank(round, ann, [y, x])
    rank(round, bob, [x, y])
    rank(round, cat, [x, z])
    run = published_pairs(round, [(ann, x), (bob, y), (cat, z)])
    pair = {p.tutor.full_name: p for p in run.pairs.select_related("tutor")}
    offers = {name: swaps.offer_swap(p.tutor, p.pk) for name, p in pair.items()}
    return round, (x, y, z), (ann, bob, cat), offers


def test_the_proposal_swaps_only_tutors_who_each_get_a_higher_choice(market):
    round, (x, y, _z), (ann, bob, _cat), _offers = market
    moves = swaps.proposed_swaps(round)
    assert [(m.offer.pair.tutor, m.to, m.new_rank) for m in moves] == [(ann, y, 1), (bob, x, 1)]


def test_approving_records_the_change_moves_draft_sessions_and_emails_the_two(market):
    round, (x, y, z), (ann, bob, _cat), offers = market
    chair = CommitteeFactory()
    draft_x = TeachingSessionFactory(offering=x, status="draft", tutors=[ann])
    draft_y = TeachingSessionFactory(offering=y, status="draft", tutors=[bob])
    shown = mailings.preview(APPROVE, round.pk)
    assert {letter.user for letter in shown.letters} == {ann, bob}
    confirm_and_release(chair, APPROVE, round.pk)
    now = dict(AllocatedTopic.objects.values_list("tutor__full_name", "offering_id"))
    assert now == {"Ann": y.pk, "Bob": x.pk, "Cat": z.pk}
    audit = AllocationChange.objects.order_by("tutor__full_name")
    assert [(c.tutor, c.from_offering, c.to_offering, c.approved_by) for c in audit] == [
        (ann, x, y, chair),
        (bob, y, x, chair),
    ]
    assert list(draft_x.tutors.all()) == [bob] and list(draft_y.tutors.all()) == [ann]
    sent = SentEmail.objects.filter(kind="topic_swapped")
    assert sorted(sent.values_list("recipient__full_name", flat=True)) == ["Ann", "Bob"]
    to_ann = sent.get(recipient=ann).body_text
    assert f"You offered {x.topic.code}" in to_ann and f"now teach {y.topic.code}" in to_ann
    offers["Cat"].refresh_from_db()
    assert offers["Cat"].status == SwapOffer.Status.OPEN
    assert swaps.proposed_swaps(round) == []


def test_undo_puts_topics_sessions_and_offers_back(market):
    round, (x, y, _z), (ann, _bob, _cat), _offers = market
    draft_x = TeachingSessionFactory(offering=x, status="draft", tutors=[ann])
    mailing = confirm_action(CommitteeFactory(), APPROVE, round.pk)
    mailings.undo(None, mailing.pk, now=timezone.now() + timedelta(seconds=1))
    now = dict(AllocatedTopic.objects.values_list("tutor__full_name", "offering_id"))
    assert now["Ann"] == x.pk and now["Bob"] == y.pk
    assert list(draft_x.tutors.all()) == [ann]
    assert set(SwapOffer.objects.values_list("status", flat=True)) == {"open"}
    assert all(c.undone_at for c in AllocationChange.objects.all())


def test_an_offer_withdrawn_after_the_preview_stops_the_approval(market):
    round, _, (ann, _bob, _cat), offers = market
    shown = mailings.preview(APPROVE, round.pk)
    swaps.withdraw_offer(ann, offers["Ann"].pk)
    with pytest.raises((MailingError, swaps.SwapError)):
        mailings.confirm(None, APPROVE, round.pk, expected=shown.fingerprint)
    with pytest.raises(swaps.SwapError, match="offers changed"):
        swaps.apply_swaps(None, round, [tuple(x.context["move"]) for x in shown.letters])
    assert not AllocationChange.objects.exists()


def test_a_tutor_never_receives_a_topic_they_ranked_lower_or_already_teach():
    round = ranking_round(state=RecruitmentRound.State.PUBLISHED)
    x, y, w = (OfferingFactory(round=round) for _ in range(3))
    ann, bob = accepted_tutor(round), accepted_tutor(round)
    rank(round, ann, [x, y])  # Ann prefers the X she has
    rank(round, bob, [x, w, y])
    run = published_pairs(round, [(ann, x), (bob, y), (bob, w)])
    swaps.offer_swap(ann, run.pairs.get(tutor=ann).pk)
    swaps.offer_swap(bob, run.pairs.get(tutor=bob, offering=y).pk)
    assert swaps.proposed_swaps(round) == []


def test_one_open_offer_per_tutor_and_only_their_own_topics(market):
    _round, _, (ann, _bob, _cat), offers = market
    with pytest.raises(swaps.SwapError, match="already offer a topic"):
        swaps.offer_swap(ann, offers["Ann"].pair_id)
    with pytest.raises(swaps.SwapError, match="not one of your published topics"):
        swaps.offer_swap(ann, offers["Bob"].pair_id)
    with pytest.raises(swaps.SwapError, match="no longer open"):
        swaps.withdraw_offer(ann, offers["Bob"].pk)


def test_a_tutor_offers_and_withdraws_on_their_page(client):
    round = ranking_round(state=RecruitmentRound.State.PUBLISHED)
    tutor = accepted_tutor(round)
    run = published_pairs(round, [(tutor, OfferingFactory(round=round))])
    pair = run.pairs.get()
    client.force_login(tutor)
    action = reverse("tutors_swaps_action")
    page = client.post(action, {"action": "offer", "pair": pair.pk}, follow=True)
    assert "offered for swap" in page.content.decode()
    offer = SwapOffer.objects.get(pair=pair, status="open")
    client.post(action, {"action": "withdraw", "offer": offer.pk})
    offer.refresh_from_db()
    assert offer.status == "withdrawn"
    page = client.post(action, {"action": "offer", "pair": "x' or 1=1"}, follow=True)
    assert page.status_code == 200 and "not one of your published topics" in page.content.decode()


def test_who_may_open_the_swap_pages(client, market):
    round, _, (ann, *_), _ = market
    committee_url = reverse("tutors_round_swaps", args=[round.pk])
    client.force_login(UserFactory())
    assert client.get(reverse("tutors_swaps")).status_code == 403
    assert client.post(reverse("tutors_swaps_action"), {"action": "offer"}).status_code == 403
    client.force_login(ann)
    assert client.get(reverse("tutors_swaps")).status_code == 200
    assert client.get(committee_url).status_code == 403
    client.force_login(CommitteeFactory())
    page = client.get(committee_url)
    assert page.status_code == 200 and len(page.context["moves"]) == 2
    assert reverse("committee_mailing_new", args=[APPROVE, round.pk]) in page.content.decode()
    timeline = client.get(reverse("tutors_committee_round", args=[round.pk])).content.decode()
    assert committee_url in timeline and "3 open offers to swap" in timeline


def test_open_swap_offers_wait_on_the_committee_home(client, market):
    round, *_ = market
    client.force_login(CommitteeFactory())
    page = client.get("/committee/").content.decode()
    assert "3 topic swap offers" in page
    assert reverse("tutors_round_swaps", args=[round.pk]) in page


# ----- the tutor's swap page is remembered: fresh, personal, the same cost at any size -------


def _my_swaps(client) -> str:
    return client.get(reverse("tutors_swaps")).content.decode()


def test_an_offer_made_or_withdrawn_shows_on_the_next_visit(client):
    round = ranking_round(state=RecruitmentRound.State.PUBLISHED)
    tutor = accepted_tutor(round)
    pair = published_pairs(round, [(tutor, OfferingFactory(round=round))]).pairs.get()
    client.force_login(tutor)
    assert "Offered for swap" not in _my_swaps(client)
    offer = swaps.offer_swap(tutor, pair.pk)
    assert "Offered for swap" in _my_swaps(client)
    swaps.withdraw_offer(tutor, offer.pk)
    assert "Offered for swap" not in _my_swaps(client)


def test_two_tutors_never_see_each_others_topics(client, market):
    _round, (x, y, _z), (ann, bob, _cat), offers = market
    swaps.withdraw_offer(bob, offers["Bob"].pk)
    client.force_login(ann)
    mine = _my_swaps(client)
    assert x.topic.code in mine and y.topic.code not in mine and "Offered for swap" in mine
    client.force_login(bob)
    theirs = _my_swaps(client)
    assert y.topic.code in theirs and x.topic.code not in theirs
    assert "Offered for swap" not in theirs


def test_a_second_visit_costs_the_same_queries_for_1_or_10_topics(client):
    def second_visit(n: int) -> int:
        round = ranking_round(state=RecruitmentRound.State.PUBLISHED)
        tutor = accepted_tutor(round)
        published_pairs(round, [(tutor, OfferingFactory(round=round)) for _ in range(n)])
        client.force_login(tutor)
        _my_swaps(client)
        with CaptureQueriesContext(connection) as ctx:
            _my_swaps(client)
        return len(ctx.captured_queries)

    assert second_visit(1) == second_visit(10) <= 3
