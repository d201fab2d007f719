"""The roster's teaching columns: how often and until when each tutor taught the round's topics.

A receiver of `meded.signals.roster_columns` (the tutors app sits below this one and cannot
ask for sessions itself); connected in apps.py.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from sessions_app.scheduling.models import TeachingSession

COLUMNS = [("sessions_taught", "Sessions taught"), ("last_taught", "Last taught")]


def sessions_taught(rows: list, **signal_kwargs) -> list[tuple[str, str]]:
    """Counts published sessions that have started, scheduled from the round's offerings (feeds
    certificates); one query through the sessions' tutors table."""
    taught = TeachingSession.tutors.through.objects.filter(
        user_id__in={r.application.applicant_id for r in rows},
        teachingsession__offering__round_id__in={r.application.round_id for r in rows},
        teachingsession__status=TeachingSession.Status.PUBLISHED,
        teachingsession__starts_at__lte=timezone.now(),
    ).values_list("teachingsession__offering__round_id", "user_id", "teachingsession__starts_at")
    stats: dict[tuple[int, int], tuple[int, Any]] = {}
    for round_id, tutor_id, starts_at in taught:
        n, last = stats.get((round_id, tutor_id), (0, starts_at))
        stats[(round_id, tutor_id)] = (n + 1, max(last, starts_at))
    for r in rows:
        n, last = stats.get((r.application.round_id, r.application.applicant_id), (0, None))
        r.extra["sessions_taught"] = n
        r.extra["last_taught"] = timezone.localdate(last).isoformat() if last else ""
    return COLUMNS
