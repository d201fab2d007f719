"""Many students booking few places at the same moment on PostgreSQL: never overbooked."""

import threading

import pytest
from django.db import connection

from sessions_app.booking.services import book, cancel
from sessions_app.models import Booking
from tests.factories.core import UserFactory
from tests.factories.sessions import TeachingSessionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 24
CAPACITY = 3


def fire(fn, args_list):
    barrier = threading.Barrier(len(args_list))
    errors = []

    def run(*args):
        try:
            barrier.wait()
            fn(*args)
        except Exception as exc:  # any error fails the test below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=a) for a in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors


def test_many_concurrent_bookings_fill_exactly_the_capacity():
    session = TeachingSessionFactory(capacity=CAPACITY)
    students = [UserFactory() for _ in range(THREADS)]
    errors = fire(lambda s: book(s, session), [(s,) for s in students])
    assert errors == []
    statuses = list(Booking.objects.filter(session=session).values_list("status", flat=True))
    assert statuses.count("confirmed") == CAPACITY
    assert statuses.count("waiting") == THREADS - CAPACITY


def test_the_same_student_double_clicking_gets_one_booking():
    session = TeachingSessionFactory(capacity=CAPACITY)
    student = UserFactory()
    results = []

    def attempt():
        try:
            results.append(book(student, session).status)
        except Exception as exc:
            results.append(type(exc).__name__)

    errors = fire(attempt, [() for _ in range(8)])
    assert errors == []
    assert Booking.objects.filter(session=session, student=student).count() == 1
    assert results.count("confirmed") == 1 and results.count("SessionError") == 7


def test_concurrent_cancellations_offer_each_freed_place_once():
    session = TeachingSessionFactory(capacity=CAPACITY)
    holders = [book(UserFactory(), session) for _ in range(CAPACITY)]
    waiting = [book(UserFactory(), session) for _ in range(6)]
    errors = fire(lambda b: cancel(b.student, b), [(b,) for b in holders])
    assert errors == []
    statuses = [Booking.objects.get(pk=b.pk).status for b in waiting]
    assert statuses == ["offered"] * CAPACITY + ["waiting"] * (6 - CAPACITY)
