"""Once-only under concurrent submissions on PostgreSQL."""

import threading

import pytest
from django.db import connection

from feedback.models import Answer, HasAnswered, Response
from feedback.services import FeedbackError
from tests.factories.feedback import give_feedback, past_session


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_record_one_response():
    session, (student,) = past_session(attendees=1)
    barrier = threading.Barrier(6)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            give_feedback(student, session)
            outcomes.append("ok")
        except FeedbackError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok"] + ["refused"] * 5
    assert Response.objects.count() == 1 and HasAnswered.objects.count() == 1
    assert Answer.objects.exclude(response__in=Response.objects.all()).count() == 0
