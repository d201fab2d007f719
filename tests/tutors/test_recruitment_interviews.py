"""Interview slots: rebook or cancel up to 24 h before, group slots, committee assigning,
one confirmation (with a calendar file that replaces the old time) for every booking."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meded.models import SentEmail
from tests.factories import CommitteeFactory
from tests.factories.tutors import (
    ApplicationFactory,
    InterviewSlotFactory,
    RecruitmentRoundFactory,
)
from tests.support.notifications import send_queued
from tutors.models import Application, InterviewBooking
from tutors.recruitment.services import RecruitmentError
from tutors.recruitment.services.interviews import book_slot, cancel_booking

pytestmark = pytest.mark.django_db
A = Application.Status
LONDON = ZoneInfo("Europe/London")
GMT_DAY = datetime(2026, 11, 10, 9, 0, tzinfo=LONDON)
BST_DAY = datetime(2026, 6, 10, 9, 0, tzinfo=LONDON)


def booked_emails(app):
    send_queued()  # what an email says is written at delivery
    return list(
        SentEmail.objects.filter(recipient=app.applicant, kind="tutors_interview_booked").order_by(
            "pk"
        )
    )


@pytest.mark.parametrize("now", [GMT_DAY, BST_DAY], ids=["GMT", "BST"])
def test_an_applicant_may_rebook_or_cancel_until_24_hours_before(now):
    with time_machine.travel(now, tick=False):
        round = RecruitmentRoundFactory(state="interviewing")
        app = ApplicationFactory(round=round, status=A.SHORTLISTED)
        first = InterviewSlotFactory(round=round, starts_at=now + timedelta(hours=48))
        later = InterviewSlotFactory(round=round, starts_at=now + timedelta(hours=72))
        book_slot(app.applicant, app, first)
    # 24 h 1 min before the first slot: moving is still allowed, and moving back too
    with time_machine.travel(now + timedelta(hours=23, minutes=59), tick=False):
        book_slot(app.applicant, app, later)
        book_slot(app.applicant, app, first)
        assert InterviewBooking.objects.get(application=app).slot == first
    # 23 h 59 min before: neither a move nor a cancel
    with time_machine.travel(now + timedelta(hours=24, minutes=1), tick=False):
        with pytest.raises(RecruitmentError, match="less than 24 hours away"):
            book_slot(app.applicant, app, later)
        with pytest.raises(RecruitmentError, match="less than 24 hours away"):
            cancel_booking(app.applicant, app)
    assert InterviewBooking.objects.get(application=app).slot == first
    with time_machine.travel(now + timedelta(hours=23, minutes=59), tick=False):
        cancel_booking(app.applicant, app)
    app.refresh_from_db()
    assert app.status == A.SHORTLISTED and not InterviewBooking.objects.filter(application=app)


def test_every_booking_is_confirmed_with_a_calendar_file_that_replaces_the_last():
    round = RecruitmentRoundFactory(state="interviewing")
    app = ApplicationFactory(round=round, status=A.SHORTLISTED)
    first, later = (InterviewSlotFactory(round=round) for _ in range(2))
    book_slot(app.applicant, app, first)
    book_slot(app.applicant, app, later)
    book_slot(app.applicant, app, first)  # back to a slot booked before: confirmed again
    emails = booked_emails(app)
    assert len(emails) == 3
    icses = [e.attachments[0]["content"] for e in emails]
    uids = {line for ics in icses for line in ics.splitlines() if line.startswith("UID:")}
    assert uids == {f"UID:tutor-interview-{app.pk}@meded"}
    sequences = [
        int(line.split(":")[1]) for ics in icses for line in ics.splitlines() if "SEQUENCE" in line
    ]
    assert sequences == sorted(sequences) and len(set(sequences)) == 3


def test_the_confirmation_says_the_time_with_its_zone():
    round = RecruitmentRoundFactory(state="interviewing")
    app = ApplicationFactory(round=round, status=A.SHORTLISTED)
    with time_machine.travel(datetime(2026, 10, 20, 9, 0, tzinfo=LONDON), tick=False):
        slot = InterviewSlotFactory(
            round=round, starts_at=datetime(2026, 10, 26, 17, 30, tzinfo=LONDON)
        )
        book_slot(app.applicant, app, slot)
    email = booked_emails(app)[0]
    assert "17:30 GMT" in email.body_text and "17:30 GMT" in email.subject


def test_a_group_slot_takes_as_many_candidates_as_its_capacity(client):
    round = RecruitmentRoundFactory(state="interviewing")
    slot = InterviewSlotFactory(round=round, capacity=3)
    apps = [ApplicationFactory(round=round, status=A.SHORTLISTED) for _ in range(4)]
    for app in apps[:3]:
        book_slot(app.applicant, app, slot)
    with pytest.raises(RecruitmentError, match="just been filled"):
        book_slot(apps[3].applicant, apps[3], slot)
    client.force_login(apps[3].applicant)
    html = client.get(reverse("tutors_interview", args=[apps[3].pk])).content.decode()
    assert "0 of 3" in html and "Full" in html


def test_the_committee_assigns_a_slot_from_the_application_page(client):
    round = RecruitmentRoundFactory(state="interviewing")
    app, other = (ApplicationFactory(round=round, status=A.SHORTLISTED) for _ in range(2))
    slot = InterviewSlotFactory(round=round, capacity=1)
    client.force_login(CommitteeFactory())
    url = reverse("tutors_committee_application", args=[round.pk, app.pk])
    response = client.post(url, {"action": "assign", "slot": slot.pk}, follow=True)
    assert "Interview slot assigned" in response.content.decode()
    app.refresh_from_db()
    assert app.status == A.INTERVIEW_BOOKED and app.interview_booking.slot == slot
    assert len(booked_emails(app)) == 1
    # a full slot is refused with a message and changes nothing
    url = reverse("tutors_committee_application", args=[round.pk, other.pk])
    response = client.post(url, {"action": "assign", "slot": slot.pk}, follow=True)
    assert "just been filled" in response.content.decode()
    other.refresh_from_db()
    assert other.status == A.SHORTLISTED and booked_emails(other) == []
    # a slot of another round is not found
    foreign = InterviewSlotFactory()
    assert client.post(url, {"action": "assign", "slot": foreign.pk}).status_code == 404


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_slot_pages_queries_do_not_grow_with_slots(client):
    round = RecruitmentRoundFactory(state="interviewing")
    me = ApplicationFactory(round=round, status=A.SHORTLISTED)
    chair = CommitteeFactory()

    def add_slot():
        slot = InterviewSlotFactory(round=round, capacity=2)
        slot.interviewers.add(chair)
        slot.bookings.create(application=ApplicationFactory(round=round, status=A.SHORTLISTED))

    add_slot()
    committee_url = reverse("tutors_committee_slots", args=[round.pk])
    applicant_url = reverse("tutors_interview", args=[me.pk])
    client.force_login(chair)
    one_committee = _count(client, committee_url)
    client.force_login(me.applicant)
    one_applicant = _count(client, applicant_url)
    for _ in range(19):
        add_slot()
    client.force_login(chair)
    assert _count(client, committee_url) == one_committee
    client.force_login(me.applicant)
    assert _count(client, applicant_url) == one_applicant


@pytest.mark.parametrize("how", ["cancel", "withdraw"])
def test_a_cancelled_booking_sends_a_calendar_cancellation_for_the_same_event(how):
    from tutors.recruitment.services.recruitment import withdraw_application

    round = RecruitmentRoundFactory(state="interviewing")
    app = ApplicationFactory(round=round, status=A.SHORTLISTED)
    book_slot(app.applicant, app, InterviewSlotFactory(round=round))
    if how == "cancel":
        cancel_booking(app.applicant, app)
    else:
        withdraw_application(app.applicant, app)
    booked = booked_emails(app)[0].attachments[0]["content"]
    send_queued()
    cancelled = SentEmail.objects.get(recipient=app.applicant, kind="tutors_interview_cancelled")
    ics = cancelled.attachments[0]["content"]
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics
    uid = next(line for line in booked.splitlines() if line.startswith("UID:"))
    assert uid in ics.splitlines()

    def seq(text):
        return int(next(x for x in text.splitlines() if x.startswith("SEQUENCE:")).split(":")[1])

    assert seq(ics) > seq(booked)
    assert ("choose another time" in cancelled.body_html) is (how == "cancel")


def test_applicants_are_offered_only_slots_they_may_still_book_the_committee_all(client):
    round = RecruitmentRoundFactory(state="interviewing")
    app = ApplicationFactory(round=round, status=A.SHORTLISTED)
    InterviewSlotFactory(
        round=round, location="Soon room", starts_at=timezone.now() + timedelta(hours=5)
    )
    InterviewSlotFactory(round=round, location="Later room")
    client.force_login(app.applicant)
    html = client.get(reverse("tutors_interview", args=[app.pk])).content.decode()
    assert "Later room" in html and "Soon room" not in html
    client.force_login(CommitteeFactory())
    url = reverse("tutors_committee_application", args=[round.pk, app.pk])
    assign = client.get(url).content.decode().split('id="assign-slot"')[1].split("</select>")[0]
    assert assign.count("<option") == 2  # the committee may place someone late


def test_within_24_hours_the_page_offers_no_cancel_button_but_says_whom_to_ask(client):
    round = RecruitmentRoundFactory(state="interviewing")
    app = ApplicationFactory(round=round, status=A.SHORTLISTED)
    slot = InterviewSlotFactory(round=round, starts_at=timezone.now() + timedelta(hours=30))
    book_slot(app.applicant, app, slot)
    client.force_login(app.applicant)
    url = reverse("tutors_interview", args=[app.pk])
    assert "Cancel my booking" in client.get(url).content.decode()
    with time_machine.travel(timezone.now() + timedelta(hours=7)):
        html = client.get(url).content.decode()
    assert "Cancel my booking" not in html and "contact the committee" in html


def test_interviewers_score_on_the_weighted_interview_rubric_with_a_recommendation():
    from django.db import IntegrityError, transaction

    from tutors.models import InterviewScore
    from tutors.recruitment.services.recruitment import add_default_rubric
    from tutors.recruitment.services.reviewing import score_interview

    round = RecruitmentRoundFactory(state="interviewing")
    add_default_rubric(round)
    app = ApplicationFactory(round=round, status=A.INTERVIEW_BOOKED)
    crit = list(round.criteria.filter(stage="interview"))  # weights 2, 2, 2, 1
    scores = dict(zip([c.pk for c in crit], [5, 5, 5, 1], strict=True))
    me = CommitteeFactory()
    with pytest.raises(RecruitmentError, match="Recommend"):
        score_interview(me, app, scores, "maybe", "")
    first = score_interview(me, app, scores, "accept", "Clear explanations")
    assert first.total == pytest.approx(31 / 7, abs=0.01)  # (10 + 10 + 10 + 1) / 7
    again = score_interview(me, app, {**scores, crit[3].pk: 5}, "waiting_list", "")
    assert (again.pk, again.total, again.recommendation) == (first.pk, 5.0, "waiting_list")
    with pytest.raises(RecruitmentError, match="invited to interview"):
        score_interview(me, ApplicationFactory(round=round), scores, "accept", "")
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewScore.objects.filter(pk=first.pk).update(recommendation="maybe")
