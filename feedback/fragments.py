"""What feedback pages print of their rows, as keys of rendered fragments kept in this process's
memory (meded/fragment_memo.py): a key holds every value its fragment prints."""

from __future__ import annotations

from meded.fragment_memo import memo_render

__all__ = ["memo_render", "observation_shown", "result_shown"]


def result_shown(r) -> tuple:
    """What any feedback page may print of a `SessionResult` (its rate and flags follow)."""
    s = r.session
    return (
        s.pk,
        s.title,
        s.starts_at,
        r.released,
        r.closed,
        r.closes_at,
        r.responses,
        r.audience,
        r.overall,
    )


def observation_shown(o) -> tuple:
    """What `feedback/_observations.html` prints of a peer observation."""
    return (
        o.pk,
        o.session.title,
        o.session.starts_at,
        o.observer.full_name,
        o.observer.email,
        repr(o.scores),
        o.strengths,
        o.suggestions,
    )
