"""A batch's marks are cheap: each accepted email is still committed on its own, but the
cache's table version is bumped once per batch (not once per email), and on PostgreSQL the
marks do not wait for the disk, the setting put back after the batch."""

from unittest import mock

import pytest
from django.db import connection

from meded import remember as remember_module
from meded.models import SentEmail
from meded.notifications import connections, delivery, notify
from meded.notifications.tasks import deliver_email
from meded.remember import one_bump_for_many, remember, versions
from tests.factories.core import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("email_kinds")]
TABLE = SentEmail._meta.db_table


def queued(n: int) -> list[SentEmail]:
    with mock.patch.object(deliver_email, "delay"):
        return [notify(UserFactory(), "test_receipt", f"order:{i}") for i in range(n)]


def test_a_batch_of_six_bumps_the_outbox_once_after_its_claim(sink, settings):
    settings.MEDED_EMAIL_BATCH = 50
    rows = queued(6)
    bumped: list[set] = []
    real_bump = remember_module.bump

    def spy(tables):
        bumped.append(set(tables))
        return real_bump(tables)

    with mock.patch("meded.remember.bump", spy):
        outcomes = delivery.deliver_batch(rows[0].pk)
    assert set(outcomes.values()) == {delivery.Outcome.SENT}
    assert len(sink.messages()) == 6
    outbox = [tables for tables in bumped if TABLE in tables]
    assert len(outbox) == 2, bumped  # the claim's commit, then the six marks together
    assert SentEmail.objects.filter(status=SentEmail.Status.SENT).count() == 6


def test_writes_held_back_are_seen_by_this_threads_own_remember():
    (row,) = queued(1)

    def sent() -> int:
        return SentEmail.objects.filter(status=SentEmail.Status.SENT).count()

    assert remember("test:outbox", (), sent) == 0
    before = versions([TABLE])[TABLE]
    with one_bump_for_many():
        SentEmail.objects.filter(pk=row.pk).update(status=SentEmail.Status.SENT)  # autocommit
        assert versions([TABLE])[TABLE] == before  # its bump held back
        assert remember("test:outbox", (), sent) == 1  # but this thread sees its own write
    SentEmail.objects.filter(pk=row.pk).update(status=SentEmail.Status.QUEUED)
    assert remember("test:outbox", (), sent) == 0
    with one_bump_for_many():
        SentEmail.objects.filter(pk=row.pk).update(status=SentEmail.Status.SENT)
    assert remember("test:outbox", (), sent) == 1  # bumped at the end of the block


@pytest.mark.postgres
def test_marks_commit_without_waiting_for_the_disk_and_the_setting_is_put_back(sink):
    rows = queued(3)
    during: list[str] = []
    real_send = connections.send

    def send(backend, message):
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            during.append(cursor.fetchone()[0])
        return real_send(backend, message)

    with mock.patch.object(connections, "send", send):
        delivery.deliver_batch(rows[0].pk)
    assert during == ["off", "off", "off"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
    assert len(sink.messages()) == 3
