"""The session page's reads, compiled once per process (meded/prepared.py).

A cold visit of a session's page built its session with `select_related` and two prefetches
(`base_sessions`) and asked whether the member teaches it: four querysets to compile, each about
a millisecond of ORM work for a statement the database runs in a tenth of that. These read the
same rows by primary key, with the tutors and years in the order the prefetches gave them.
"""

from __future__ import annotations

from dataclasses import dataclass

from meded.models import Module, Topic, User, Year
from meded.prepared import Prepared
from sessions_app.scheduling.models import Series, TeachingSession

MAX_ID = 2**63 - 1  # a big auto field
_SESSION = Prepared(lambda pk: TeachingSession.objects.filter(pk=pk), 1)
_TOPIC = Prepared(lambda pk: Topic.objects.filter(pk=pk), 1)
_MODULE = Prepared(lambda pk: Module.objects.filter(pk=pk), 1)
_SERIES = Prepared(lambda pk: Series.objects.filter(pk=pk), 1)
# User's and Year's own ordering (full name, email; number), as the prefetches had it.
_TUTORS = Prepared(
    lambda pk: User.objects.filter(teaching_sessions=pk).only(*User.DISPLAY_FIELDS), 1
)
_YEARS = Prepared(lambda pk: Year.objects.filter(teaching_sessions=pk), 1)


@dataclass
class SessionPage:
    session: TeachingSession  # with its topic (and module) and series
    tutors: list[User]
    years: list[Year]


def session_page(pk: int) -> SessionPage | None:
    """The session `pk` with what its page prints, or None when there is none."""
    if not 0 < pk <= MAX_ID:  # the ORM finds nothing for an id its column cannot hold
        return None
    found = _SESSION.instances(pk)
    if not found:
        return None
    session = found[0]
    topic = _TOPIC.instances(session.topic_id)[0] if session.topic_id else None
    if topic is not None:
        topic.module = _MODULE.instances(topic.module_id)[0]
    session.topic = topic
    session.series = _SERIES.instances(session.series_id)[0] if session.series_id else None
    return SessionPage(session, _TUTORS.instances(pk), _YEARS.instances(pk))
