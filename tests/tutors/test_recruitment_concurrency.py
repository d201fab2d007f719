"""Interview slot capacity holds when many applicants book the last places at once.

Real threads, each on its own PostgreSQL connection, start together at a barrier. Each
booking is slowed down between locking the slot and counting its places (the service asks
for the time there), so without the row lock every thread would read "places left" before
any of them wrote: the test fails if the row locks go (checked by removing them).
"""

import time

import pytest
from django.utils import timezone

from tests.factories.tutors import (
    ApplicationFactory,
    InterviewSlotFactory,
    RecruitmentRoundFactory,
)
from tests.support import concurrency
from tutors.models import Application, InterviewBooking
from tutors.recruitment.services import RecruitmentError
from tutors.recruitment.services import interviews as service
from tutors.recruitment.services.interviews import book_slot

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


class SlowClock:
    """Stands in for django.utils.timezone inside the booking service."""

    @staticmethod
    def now():
        time.sleep(0.15)
        return timezone.now()


def run_together(calls):
    outcome = concurrency.run_together(calls, refused_by=(RecruitmentError,))
    assert len(outcome.threads) == len(calls)  # really ran in separate threads
    return outcome.done, outcome.refused, outcome.errors


def test_a_slot_is_never_overbooked_under_concurrent_requests(monkeypatch):
    monkeypatch.setattr(service, "timezone", SlowClock)
    round = RecruitmentRoundFactory(state="interviewing")
    slot = InterviewSlotFactory(round=round, capacity=2)
    apps = [
        ApplicationFactory(round=round, status=Application.Status.SHORTLISTED) for _ in range(8)
    ]
    calls = [lambda a=a: book_slot(a.applicant, a, slot) for a in apps]
    booked, refused, errors = run_together(calls)
    assert errors == []
    assert len(booked) == 2 and len(refused) == 6
    assert InterviewBooking.objects.filter(slot=slot).count() == 2
    assert Application.objects.filter(status="interview_booked").count() == 2


def test_one_applicant_booking_two_slots_at_once_ends_with_one_booking(monkeypatch):
    monkeypatch.setattr(service, "timezone", SlowClock)
    round = RecruitmentRoundFactory(state="interviewing")
    app = ApplicationFactory(round=round, status=Application.Status.SHORTLISTED)
    slots = [InterviewSlotFactory(round=round) for _ in range(2)]
    calls = [lambda s=s: book_slot(app.applicant, app, s) for s in slots]
    booked, _refused, errors = run_together(calls)
    assert errors == [] and len(booked) == 2  # the second is a rebook, not a clash
    assert InterviewBooking.objects.filter(application=app).count() == 1
