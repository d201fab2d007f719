"""The periodic runner: one pass over every `meded.signals.periodic_task` receiver.

The `dispatch_due` task and `manage.py send_due_emails` run it. Each receiver is guarded on its
own, so one broken job is logged and never stops the others. A receiver is named
by the `dispatch_uid` it was connected with (e.g. "sessions_app.reminders"), else by its dotted
path; the counts and the logs use that name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from weakref import ReferenceType

from meded.signals import periodic_task

log = logging.getLogger(__name__)


def _names() -> dict[Callable, str]:
    """Each connected receiver and its name (dispatch_uid, else module.qualname)."""
    names = {}
    for lookup_key, ref, *_ in periodic_task.receivers:
        receiver = ref() if isinstance(ref, ReferenceType) else ref
        if receiver is None:  # garbage-collected weak receiver
            continue
        uid = lookup_key[0]
        names[receiver] = (
            uid if isinstance(uid, str) else f"{receiver.__module__}.{receiver.__qualname__}"
        )
    return names


def periodic_jobs() -> dict[str, Callable[[], int]]:
    """The connected periodic work by name, each callable on its own (for tests and the shell)."""
    return {
        name: partial(receiver, signal=periodic_task, sender=None)
        for receiver, name in _names().items()
    }


def run_periodic_tasks() -> dict[str, int]:
    """Send `periodic_task` once; return {receiver name: how many things it did}."""
    names = _names()
    counts: dict[str, int] = {}
    for receiver, result in periodic_task.send_robust(sender=None):
        name = names.get(receiver) or f"{receiver.__module__}.{receiver.__qualname__}"
        if isinstance(result, Exception):  # one broken job must not stop the others
            log.error("periodic task %s failed", name, exc_info=result)
            continue
        counts[name] = result or 0
    return counts
