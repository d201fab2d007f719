"""Interview slot capacity holds when many applicants book the last places at once."""

import threading

import pytest
from django.db import connection

from tests.factories.tutors import (
    ApplicationFactory,
    InterviewSlotFactory,
    RecruitmentRoundFactory,
)
from tutors.models import Application, InterviewBooking
from tutors.services import RecruitmentError
from tutors.services.interviews import book_slot


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_slot_is_never_overbooked_under_concurrent_requests():
    round = RecruitmentRoundFactory(state="interviewing")
    slot = InterviewSlotFactory(round=round, capacity=2)
    apps = [
        ApplicationFactory(round=round, status=Application.Status.SHORTLISTED) for _ in range(8)
    ]
    barrier = threading.Barrier(len(apps))
    booked, refused, errors = [], [], []

    def attempt(app):
        try:
            barrier.wait()
            book_slot(app.applicant, app, slot)
            booked.append(app.pk)
        except RecruitmentError:
            refused.append(app.pk)
        except Exception as exc:  # pragma: no cover - shown if it happens
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(booked) == 2 and len(refused) == 6
    assert InterviewBooking.objects.filter(slot=slot).count() == 2
    assert Application.objects.filter(status="interview_booked").count() == 2
