"""Test helpers for pages remembered with meded.remember."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture
def one_minute(monkeypatch):
    """Every visit of the test falls in the same minute: a slow machine crossing a minute would
    recompute (rightly) and make query counts flaky."""
    import meded.committee
    import meded.remember

    monkeypatch.setattr(meded.remember, "minute", lambda now=None: "202601011200")
    monkeypatch.setattr(meded.committee, "minute", lambda now=None: "202601011200")


def second_visit(client, url) -> tuple[int, str]:
    """The queries of a second visit of `url` (the first filled the cache), and its HTML."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def page_and_statements(client, url) -> tuple[str, list[str]]:
    """The page (a 200), and the statements its request ran."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in ctx.captured_queries]


@pytest.fixture
def orm_compiles(monkeypatch):
    """The SELECTs the ORM compiles while the test runs (a Prepared read compiles once per
    process, meded/prepared.py; INSERTs have their own compiler)."""
    from django.db.models.sql.compiler import SQLCompiler

    seen: list[str] = []
    original = SQLCompiler.as_sql

    def spy(self, *args, **kwargs):
        sql, params = original(self, *args, **kwargs)
        if type(self).__name__ == "SQLCompiler":  # not INSERT's, UPDATE's (PostgreSQL: a subclass)
            seen.append(sql)
        return sql, params

    monkeypatch.setattr(SQLCompiler, "as_sql", spy)
    return seen


def cold_visit(client, url) -> tuple[str, list[str]]:
    """The page with nothing remembered (the first visit after any write), and its statements."""
    from django.core.cache import cache

    cache.clear()
    return page_and_statements(client, url)


def cold_compiled(client, url, compiles: list[str]) -> tuple[str, list[str]]:
    """The page as the first visitor after a write to every table sees it (as bench/pages.py's
    cold column), and the SELECTs the ORM compiled for it (`orm_compiles`)."""
    from meded.remember import bump

    bump(connection.introspection.table_names())
    compiles.clear()
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), list(compiles)
