"""remember() computing a value again reads the versions of the tables it read last time in one
round trip, not one per statement; a write landing after that read still leaves the new entry
out of date (the versions it carries are older than its reads, never newer)."""

import pytest
from django.core.cache import caches

from meded.curriculum.models import Module, Topic, Year
from meded.remember import bump, prefetched, remember


@pytest.fixture
def cache_calls(monkeypatch):
    """The round trips to the cache (the local-memory cache's get_many calls its get: once)."""
    calls: list[str] = []
    depth = [0]
    cache = caches["default"]
    for name in ("get", "get_many", "add"):
        original = getattr(cache, name)

        def spy(*args, _original=original, _name=name, **kwargs):
            if not depth[0]:
                calls.append(_name)
            depth[0] += 1
            try:
                return _original(*args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(cache, name, spy)
    return calls


def three_tables() -> tuple:
    """Three statements, each of another table."""
    return (
        sorted(Module.objects.values_list("name", flat=True)),
        Topic.objects.count(),
        sorted(Year.objects.values_list("number", flat=True)),
    )


@pytest.mark.django_db
def test_a_value_computed_again_reads_its_tables_versions_once(cache_calls):
    Module.objects.create(name="Renal", slug="renal")
    remember("three", (), three_tables)  # learns its tables
    bump(["meded_module"])
    cache_calls.clear()
    remember("three", (), three_tables)  # out of date: computed again
    # the entry, its tables' versions (to check it), the versions of the tables it read last time
    assert cache_calls == ["get", "get_many", "get_many"]


@pytest.mark.django_db
def test_a_write_after_the_versions_were_read_leaves_the_new_entry_out_of_date():
    Module.objects.create(name="Renal", slug="renal")
    remember("modules-then-write", (), three_tables)  # learns its tables
    bump(["meded_year"])
    calls = []

    def compute():
        calls.append(1)
        if len(calls) == 1:  # the versions were read ahead: a write lands before the reads
            Module.objects.create(name="Cardio", slug="cardio")
        return three_tables()

    assert remember("modules-then-write", (), compute)[0] == ["Cardio", "Renal"]
    assert remember("modules-then-write", (), compute)[0] == ["Cardio", "Renal"]
    assert len(calls) == 2  # the entry carried the version from before the write: computed again
    assert remember("modules-then-write", (), compute)[0] == ["Cardio", "Renal"]
    assert len(calls) == 2  # and then kept


@pytest.mark.django_db
def test_the_home_page_reads_ahead_the_tables_of_the_sections_it_must_compute(cache_calls):
    remember("section", ("a",), three_tables)
    bump(["meded_module", "meded_topic", "meded_year"])
    key = (
        "rm:section:"
        + __import__("meded.remember", fromlist=["entry_key"])
        .entry_key("section", ("a",))
        .split(":", 2)[2]
    )
    cache_calls.clear()
    with prefetched([key]):
        remember("section", ("a",), three_tables)
    # the entries, then every version in one round trip: the miss computes with no more lookups
    assert cache_calls == ["get_many", "get_many"]
