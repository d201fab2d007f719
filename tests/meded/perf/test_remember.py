"""remember(): a cached read is reused until a table it read is written, by any write path."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from meded.curriculum.models import Module, Year
from meded.remember import PREFIX, remember, versions
from tests.support.caches import UNREACHABLE_REDIS


class Counter:
    """compute() that reads the modules and counts how often it really ran."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return sorted(Module.objects.values_list("name", flat=True))


def module(name):
    return Module(name=name, slug=name.lower())


@pytest.fixture
def modules(db):
    """Two modules (the years exist from the migrations)."""
    return Module.objects.bulk_create([module("Anatomy"), module("Physiology")])


def test_a_value_is_computed_once_while_nothing_it_read_changes(modules):
    compute = Counter()
    first = remember("modules", (), compute)
    assert remember("modules", (), compute) == first
    assert compute.calls == 1


def test_other_parts_are_other_entries(modules):
    compute = Counter()
    remember("modules", ("member", 1), compute)
    remember("modules", ("member", 2), compute)
    assert compute.calls == 2


@pytest.mark.parametrize(
    "write",
    [
        lambda: Module.objects.filter(name="Anatomy").update(name="Histology"),
        lambda: module("Pharmacology").save(),
        lambda: Module.objects.bulk_create([module("Pathology")]),
        lambda: Module.objects.filter(name="Physiology").delete(),
        lambda: connection.cursor().execute(
            f"UPDATE {Module._meta.db_table} SET name = 'Raw' WHERE name = 'Anatomy'"
        ),
    ],
    ids=["update", "create", "bulk_create", "delete", "raw_sql"],
)
def test_every_write_path_to_a_table_read_drops_the_entry(modules, write):
    compute = Counter()
    before = remember("modules", (), compute)
    write()
    after = remember("modules", (), compute)
    assert compute.calls == 2
    assert after == sorted(Module.objects.values_list("name", flat=True))
    assert after != before


def test_a_write_to_a_table_not_read_keeps_the_entry(modules):
    compute = Counter()
    remember("modules", (), compute)
    Year.objects.filter(number=1).update(name="First year")
    remember("modules", (), compute)
    assert compute.calls == 1


def test_an_inner_remember_makes_the_outer_depend_on_its_tables(modules):
    outer_calls = []

    def outer():
        outer_calls.append(1)
        return remember("inner", (), Counter())

    remember("outer", (), outer)
    remember("outer", (), outer)
    assert len(outer_calls) == 1
    Module.objects.filter(name="Anatomy").update(name="Changed")
    assert "Changed" in remember("outer", (), outer)
    assert len(outer_calls) == 2


def test_an_inner_entry_already_cached_still_makes_the_outer_depend_on_its_tables(modules):
    """The inner value is a hit while the outer computes (another page cached it first): the
    outer must still be dropped when the inner's tables change."""
    remember("inner", (), Counter())  # cached first, by some other page
    outer_calls = []

    def outer():
        outer_calls.append(1)
        return remember("inner", (), Counter())

    remember("outer", (), outer)
    Module.objects.filter(name="Anatomy").update(name="Changed")
    assert "Changed" in remember("outer", (), outer)
    assert len(outer_calls) == 2


def test_a_lost_version_drops_the_entry(modules):
    compute = Counter()
    remember("modules", (), compute)
    cache.delete(PREFIX + Module._meta.db_table)
    remember("modules", (), compute)
    assert compute.calls == 2


def test_a_rolled_back_transaction_does_not_stop_later_writes_bumping(modules):
    compute = Counter()
    with pytest.raises(RuntimeError), transaction.atomic():
        Module.objects.filter(name="Anatomy").update(name="Rolled back")
        raise RuntimeError
    remember("modules", (), compute)
    with transaction.atomic():
        Module.objects.filter(name="Anatomy").update(name="Kept")
    assert "Kept" in remember("modules", (), compute)
    assert compute.calls == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_another_connection_sees_a_write_once_it_commits():
    """A reader on another connection caches the committed rows while a writer's transaction is
    open; the writer's commit drops that entry, so the next read has the change."""
    Module.objects.bulk_create([module("Anatomy")])
    compute = Counter()
    written, read = threading.Event(), threading.Event()

    def writer():
        try:
            with transaction.atomic():
                Module.objects.filter(name="Anatomy").update(name="Committed")
                written.set()
                read.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    assert written.wait(10)
    assert remember("modules", (), compute) == ["Anatomy"]  # the writer has not committed
    read.set()
    thread.join(10)
    assert remember("modules", (), compute) == ["Committed"]
    assert compute.calls == 2


def test_nothing_is_remembered_while_redis_is_away(modules, settings):
    """Answering from one process's memory, other processes' writes would go unseen: compute."""
    settings.CACHES = UNREACHABLE_REDIS
    compute = Counter()
    assert remember("modules", (), compute) == ["Anatomy", "Physiology"]
    remember("modules", (), compute)
    assert compute.calls == 2


@pytest.mark.django_db(transaction=True)
def test_a_transaction_that_writes_talks_to_the_cache_only_after_its_commit():
    """A booking holds its session's row lock until it commits: no cache round trip inside."""
    table = Module._meta.db_table
    before = versions([table])
    with transaction.atomic():
        Module.objects.bulk_create([module("Anatomy")])
        Module.objects.filter(name="Anatomy").update(name="Histology")
        assert versions([table]) == before
    assert versions([table]) != before


def test_a_transaction_reads_its_own_writes_through_remember(modules):
    compute = Counter()
    with transaction.atomic():
        assert "Histology" not in remember("modules", (), compute)
        Module.objects.filter(name="Anatomy").update(name="Histology")
        assert "Histology" in remember("modules", (), compute)


def test_an_entry_never_outlives_the_moment_the_clock_changes_it(modules):
    start = timezone.now()
    compute = Counter()

    def changes(_value):
        return start + timedelta(seconds=90)

    with time_machine.travel(start, tick=False):
        remember("modules", (), compute, until=changes)
    with time_machine.travel(start + timedelta(seconds=89), tick=False):
        remember("modules", (), compute, until=changes)
        assert compute.calls == 1
    with time_machine.travel(start + timedelta(seconds=91), tick=False):
        remember("modules", (), compute, until=changes)
        assert compute.calls == 2


def test_a_value_already_past_its_moment_is_not_remembered(modules):
    compute = Counter()
    remember("modules", (), compute, until=lambda _v: timezone.now() - timedelta(seconds=1))
    remember("modules", (), compute, until=lambda _v: timezone.now() - timedelta(seconds=1))
    assert compute.calls == 2
