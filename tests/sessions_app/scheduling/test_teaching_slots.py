"""Tutors choose their dates: the committee releases slots, each tutor picks one that fits their
availability for each allocated topic (first come, first served, clash-checked, before the
deadline), and after the deadline the engine places what is left."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from sessions_app.errors import SessionError
from sessions_app.models import TeachingSession, TeachingSlot
from sessions_app.scheduling import slots
from sessions_app.scheduling.from_allocation import create_sessions_for_allocation
from sessions_app.smallgroups.engine.grid import CELLS_PER_DAY
from sessions_app.smallgroups.services import add_exception, save_week
from tests.factories.allocation import (
    OfferingFactory,
    accepted_tutor,
    published_pairs,
    ranking_round,
)
from tests.factories.core import CommitteeFactory, TopicFactory, UserFactory
from tests.factories.sessions import TeachingSessionFactory
from tests.support.remembering import cold_compiled, orm_compiles  # noqa: F401 (a fixture)
from tutors.models import RecruitmentRound

pytestmark = pytest.mark.django_db

TUE, WED = 1, 2
# Far enough ahead that every slot is in the future, whatever day the suite runs.
MONDAY = date(2030, 3, 4)


def evenings(day: int, start_hour: int = 18, end_hour: int = 20) -> list[int]:
    base = day * CELLS_PER_DAY
    return list(range(base + start_hour * 2, base + end_hour * 2))


def released_round(n_tutors: int = 1, years=(3,)):
    """A round with a published allocation: tutor i teaches topic i (year 3)."""
    round = ranking_round(state=RecruitmentRound.State.PUBLISHED)
    tutors = [accepted_tutor(round) for _ in range(n_tutors)]
    offerings = [
        OfferingFactory(round=round, topic=TopicFactory(years=list(years))) for _ in tutors
    ]
    published_pairs(round, list(zip(tutors, offerings, strict=True)))
    return round, tutors, offerings


def add(round, day: date, hour: int = 18, venue: str = "Seminar Room 3.01", weeks: int = 1):
    return slots.add_slots(
        round, day=day, start=time(hour), end=time(hour + 1), venue=venue, weeks=weeks
    )


def release(round, days: int = 7):
    return slots.release(round, timezone.now() + timedelta(days=days), None)


def test_a_tutor_sees_only_free_slots_that_fit_their_week_and_dates(client):
    round, (tutor,), (_offering,) = released_round()
    save_week(tutor, evenings(TUE))
    tuesday, later_tuesday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=8)
    fits = add(round, tuesday)[0]
    add(round, MONDAY + timedelta(days=2))  # a Wednesday: outside the week
    add(round, tuesday, hour=19, venue="Lecture Theatre 1")  # 19:00-20:00 fits too
    add(round, later_tuesday)  # a Tuesday the tutor marked busy
    add_exception(tutor, later_tuesday, later_tuesday, "Placement")
    release(round)
    client.force_login(tutor)
    page = client.get(reverse("sessions_app:my_teaching_slots"))
    options = page.context["rounds"][0]["choices"][0].options
    assert [(s.pk, s.venue) for s in options] == [
        (fits.pk, "Seminar Room 3.01"),
        (fits.pk + 2, "Lecture Theatre 1"),
    ]


def test_picking_a_slot_creates_the_topics_draft_with_its_tutors_room_and_year(client):
    round, (tutor,), (offering,) = released_round()
    slot = add(round, MONDAY + timedelta(days=1))[0]
    release(round)
    client.force_login(tutor)
    response = client.post(
        reverse("sessions_app:my_teaching_slots"),
        {"slot": slot.pk, "offering": offering.pk},
        follow=True,
    )
    assert "You teach" in response.content.decode()
    session = TeachingSession.objects.get(offering=offering)
    assert session.status == "draft"
    assert (session.starts_at, session.ends_at, session.venue) == (
        slot.starts_at,
        slot.ends_at,
        "Seminar Room 3.01",
    )
    assert list(session.tutors.all()) == [tutor]
    assert [y.number for y in session.target_years.all()] == [3]
    slot.refresh_from_db()
    assert slot.session == session and slot.picked_by == tutor


def test_a_slot_goes_to_the_first_tutor_and_the_second_is_told(client):
    round, (first, second), (o1, o2) = released_round(2, years=())
    slot = add(round, MONDAY + timedelta(days=1))[0]
    release(round)
    slots.pick_slot(first, slot.pk, o1.pk)
    client.force_login(second)
    response = client.post(
        reverse("sessions_app:my_teaching_slots"), {"slot": slot.pk, "offering": o2.pk}, follow=True
    )
    assert "Someone picked that slot a moment ago" in response.content.decode()
    assert not TeachingSession.objects.filter(offering=o2).exists()


def test_a_topic_gets_one_date_and_only_its_tutors_pick_it():
    round, (tutor, _other), (mine, theirs) = released_round(2, years=())
    a, b = add(round, MONDAY + timedelta(days=1), weeks=2)
    release(round)
    with pytest.raises(SessionError, match="not one of your allocated topics"):
        slots.pick_slot(tutor, a.pk, theirs.pk)
    slots.pick_slot(tutor, a.pk, mine.pk)
    with pytest.raises(SessionError, match="already has a date"):
        slots.pick_slot(tutor, b.pk, mine.pk)
    assert TeachingSession.objects.count() == 1


@pytest.mark.parametrize("shared", ["tutor", "venue", "year"])
def test_a_slot_that_clashes_with_other_teaching_is_refused(shared):
    round, (tutor,), (offering,) = released_round()
    slot = add(round, MONDAY + timedelta(days=1))[0]
    release(round)
    TeachingSessionFactory(
        starts_at=slot.starts_at + timedelta(minutes=30),
        ends_at=slot.ends_at + timedelta(minutes=30),
        tutors=[tutor] if shared == "tutor" else [],
        venue="Seminar Room 3.01" if shared == "venue" else "Elsewhere",
        target_years=offering.topic.years.all() if shared == "year" else [],
    )
    if shared != "year":
        offering.topic.years.clear()
    with pytest.raises(SessionError, match="That slot clashes"):
        slots.pick_slot(tutor, slot.pk, offering.pk)
    assert not TeachingSession.objects.filter(offering=offering).exists()


def test_after_the_deadline_tutors_cannot_pick_and_the_engine_places_the_rest():
    round, tutors, offerings = released_round(3, years=())
    for t in tutors:
        save_week(t, evenings(TUE))
    picked, *rest = add(round, MONDAY + timedelta(days=1), weeks=3)
    add(round, MONDAY + timedelta(days=2))  # Wednesday: fits nobody
    release(round, days=1)
    slots.pick_slot(tutors[0], picked.pk, offerings[0].pk)
    with pytest.raises(SessionError, match="after the deadline"):
        slots.place_remaining(round)
    later = timezone.now() + timedelta(days=2)
    with pytest.raises(SessionError, match="deadline to pick dates has passed"):
        slots.pick_slot(tutors[1], rest[0].pk, offerings[1].pk, now=later)
    proposed = [(p.row.offering_id, p.slot.pk) for p in slots.proposal(round)]
    assert proposed == [(offerings[1].pk, rest[0].pk), (offerings[2].pk, rest[1].pk)]
    assert slots.place_remaining(round, now=later) == 2
    placed = dict(TeachingSession.objects.values_list("offering_id", "slot__id"))
    assert placed == {
        offerings[0].pk: picked.pk,
        offerings[1].pk: rest[0].pk,
        offerings[2].pk: rest[1].pk,
    }
    assert slots.waiting_topics(round) == 0


def test_slots_replace_the_evening_after_evening_drafts():
    round, _, _ = released_round()
    add(round, MONDAY)
    with pytest.raises(SessionError, match="tutors pick their dates"):
        create_sessions_for_allocation(round, first_day=MONDAY)


def test_bad_slots_are_refused_next_to_their_field_and_nothing_is_added(client):
    round, _, _ = released_round()
    add(round, MONDAY)
    client.force_login(CommitteeFactory())
    url = reverse("sessions_app:committee_teaching_slots", args=[round.pk])
    data = {"action": "add", "slot-day": MONDAY.isoformat(), "slot-start": "18:30"}
    data |= {"slot-end": "19:30", "slot-venue": "seminar room 3.01", "slot-weeks": "1"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "already has a slot then" in str(response.context["slot_form"].errors["venue"])
    data |= {"slot-venue": "Lab", "slot-end": "18:00"}
    response = client.post(url, data)
    assert "must end after it starts" in str(response.context["slot_form"].errors["end"])
    data |= {"slot-end": "19:30", "slot-day": "9999-12-31", "slot-weeks": "15"}
    response = client.post(url, data)
    assert "from today to five years ahead" in str(response.context["slot_form"].errors["day"])
    assert TeachingSlot.objects.count() == 1


def test_no_slots_before_the_allocation_is_published():
    round = ranking_round()
    with pytest.raises(SessionError, match="Publish the round's allocation"):
        add(round, MONDAY)


@pytest.mark.parametrize(
    "frozen, day",
    [
        (datetime(2026, 3, 20, 12), date(2026, 3, 31)),  # picked in GMT for a BST evening
        (datetime(2026, 10, 20, 12), date(2026, 10, 27)),  # picked in BST for a GMT evening
    ],
)
def test_an_evening_slot_fits_the_same_evening_on_both_sides_of_the_clock_change(frozen, day):
    with time_machine.travel(timezone.make_aware(frozen), tick=False):
        round, (tutor,), (offering,) = released_round()
        save_week(tutor, evenings(TUE))
        slot = add(round, day)[0]
        release(round)
        assert timezone.localtime(slot.starts_at).time() == time(18)
        assert [s.pk for s in slots.choices_for(tutor, round)[0].options] == [slot.pk]
        session = slots.pick_slot(tutor, slot.pk, offering.pk)
    assert timezone.localtime(session.starts_at).hour == 18


def test_who_may_open_the_teaching_dates_pages(client):
    round, (tutor,), _ = released_round()
    committee_url = reverse("sessions_app:committee_teaching_slots", args=[round.pk])
    mine_url = reverse("sessions_app:my_teaching_slots")
    client.force_login(UserFactory())
    assert client.get(mine_url).status_code == 403
    assert client.get(committee_url).status_code == 403
    client.force_login(tutor)
    assert client.get(mine_url).status_code == 200
    assert client.get(committee_url).status_code == 403
    client.force_login(CommitteeFactory())
    assert client.get(committee_url).status_code == 200


def test_the_teaching_dates_are_linked_from_the_tutor_home_and_the_round_timeline(client):
    round, (tutor,), _ = released_round()
    client.force_login(tutor)
    assert (
        reverse("sessions_app:my_teaching_slots")
        in client.get(reverse("tutors_home")).content.decode()
    )
    client.force_login(CommitteeFactory())
    page = client.get(reverse("tutors_committee_round", args=[round.pk])).content.decode()
    assert reverse("sessions_app:committee_teaching_slots", args=[round.pk]) in page


def test_the_demo_has_released_slots_some_picked_and_a_swap_offer(demo_society, client):
    from tutors.models import SwapOffer

    released = TeachingSlot.objects.filter(round__slot_release__isnull=False)
    assert released.count() == 40
    assert 0 < released.filter(picked_by__isnull=False).count() < 40
    offer = SwapOffer.objects.get(status="open")
    assert offer.pair.tutor.email == "tutor@demo.meded.test"
    client.force_login(offer.pair.tutor)
    page = client.get(reverse("sessions_app:my_teaching_slots"))
    assert any(c.options for r in page.context["rounds"] for c in r["choices"])


def test_topics_left_after_the_deadline_wait_on_the_committee_home(client):
    round, _, _ = released_round(2, years=())
    add(round, MONDAY + timedelta(days=1))
    slots.release(round, timezone.now() - timedelta(minutes=1), None)
    client.force_login(CommitteeFactory())
    page = client.get("/committee/").content.decode()
    assert "2 topics without a teaching date after the deadline" in page
    assert reverse("sessions_app:committee_teaching_slots", args=[round.pk]) in page


@pytest.mark.parametrize("page", ["committee", "tutor"])
def test_the_dates_pages_cost_the_same_queries_for_1_and_20_slots(client, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(n_weeks: int) -> int:
        round, tutors, _ = released_round(2)
        add(round, MONDAY + timedelta(days=1), weeks=n_weeks)
        if n_weeks > 1:
            add(round, MONDAY + timedelta(days=2), weeks=n_weeks - 10)
        slots.release(
            round, timezone.now() - timedelta(minutes=1 if page == "committee" else -60), None
        )
        if page == "committee":
            client.force_login(CommitteeFactory())
            url = reverse("sessions_app:committee_teaching_slots", args=[round.pk])
        else:
            client.force_login(tutors[0])
            url = reverse("sessions_app:my_teaching_slots")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        TeachingSlot.objects.all().delete()
        return len(ctx)

    assert queries(1) == queries(15)


def test_a_cold_visit_reads_the_tutors_dates_through_prepared_statements(client, orm_compiles):  # noqa: F811
    """After a write (nothing remembered) the page builds no query of its own: the rounds, the
    tutor's topics and co-tutors, the slots, availability and sessions are compiled once per
    process; the slots shown are the ones that fit, as before."""
    round, (tutor,), (_offering,) = released_round()
    save_week(tutor, evenings(TUE))
    fits = add(round, MONDAY + timedelta(days=1))[0]
    add(round, MONDAY + timedelta(days=2))  # a Wednesday: outside the week
    release(round)
    url = reverse("sessions_app:my_teaching_slots")
    client.force_login(tutor)
    client.get(url)
    body, compiled = cold_compiled(client, url, orm_compiles)
    assert body.count('name="slot" value=') == 1 and f'value="{fits.pk}"' in body
    assert len(compiled) <= 1, compiled  # the signed-in member
