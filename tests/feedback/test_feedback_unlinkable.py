"""Leak 8: nothing in the database pairs a HasAnswered row with its Response: random keys on
both, no time finer than the day, and (on PostgreSQL) no shared row version."""

import uuid

import pytest
from django.db import connection, models

from feedback.models import Answer, HasAnswered, Response
from tests.factories.feedback import give_feedback, past_session


def test_keys_are_random_and_no_time_is_finer_than_the_day():
    for model in (Response, Answer, HasAnswered):
        assert isinstance(model._meta.pk, models.UUIDField), model
    for model in (Response, Answer, HasAnswered):
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateTimeField | models.TimeField), field
            assert not isinstance(field, models.AutoField | models.BigAutoField), field
    assert {f.name for f in HasAnswered._meta.concrete_fields} == {"id", "user", "session"}
    assert {f.name for f in Response._meta.concrete_fields} == {
        "id", "session", "form", "mode", "year_group", "submitted_on",
    }  # fmt: skip


@pytest.mark.django_db
def test_written_values_carry_no_order():
    session, students = past_session(attendees=3)
    for student in students:
        give_feedback(student, session)
    assert all(isinstance(r.pk, uuid.UUID) for r in Response.objects.all())
    assert all(isinstance(h.pk, uuid.UUID) for h in HasAnswered.objects.all())
    assert {type(r.submitted_on).__name__ for r in Response.objects.all()} == {"date"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_row_versions_do_not_pair_an_answer_with_its_response():
    """Each submission rewrites the session's responses: all share the latest transaction id,
    so no earlier HasAnswered row's xmin matches any Response."""
    session, students = past_session(attendees=4)
    for student in students:
        give_feedback(student, session)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT xmin::text FROM feedback_response WHERE session_id = %s", [session.pk]
        )
        response_versions = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT xmin::text FROM feedback_hasanswered WHERE session_id = %s", [session.pk]
        )
        answered_versions = [row[0] for row in cursor.fetchall()]
    assert len(response_versions) == 1  # one version for all four
    assert len(set(answered_versions)) == 4
    assert sum(v in response_versions for v in answered_versions) == 1  # only the last: 1 of 4
