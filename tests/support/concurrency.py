"""Run calls in real threads released together at a barrier, each on its own database
connection: how the concurrency tests on PostgreSQL race requests against each other."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection


@dataclass
class Outcome:
    done: list[Any] = field(default_factory=list)
    refused: list[Callable[[], Any]] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    threads: set[int] = field(default_factory=set)


def run_together(
    calls: list[Callable[[], Any]], refused_by: tuple[type[BaseException], ...] = ()
) -> Outcome:
    """Results in `done`; calls that raised one of `refused_by` in `refused`; anything else
    raised in `errors`, for the test to assert on."""
    barrier = threading.Barrier(len(calls))
    outcome = Outcome()

    def attempt(call):
        try:
            barrier.wait()
            outcome.threads.add(threading.get_ident())
            outcome.done.append(call())
        except refused_by:
            outcome.refused.append(call)
        except Exception as exc:
            outcome.errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcome
