"""What feedback pages print of their rows, as keys of rendered fragments kept in this process's
memory (meded/fragment_memo.py): a key holds every value its fragment prints."""

from __future__ import annotations

from meded.fragment_memo import memo_render

__all__ = ["memo_render", "observation_shown", "portfolio_shown", "result_shown"]


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


def portfolio_shown(p) -> tuple:
    """Everything a portfolio's page or PDF prints of it (the summary lines derive from the
    sessions' dates, kinds and topics)."""
    t = p.tutor
    sessions = tuple(
        (
            *result_shown(r),
            r.session.ends_at,
            r.session.kind,
            (r.session.topic.code, r.session.topic.title) if r.session.topic_id else None,
        )
        for r in p.results
    )
    return (
        (t.pk, t.get_full_name(), t.email),
        sessions,
        repr(p.feedback),
        tuple(observation_shown(o) for o in p.observations),
        tuple((c.pk, c.title, c.code) for c in p.certificates),
        tuple(
            (r.pk, r.session.title, r.session.starts_at, r.text, r.in_portfolio)
            for r in p.reflections
        ),
        tuple((c.pk, c.url, c.title, c.description) for c in p.career_links),
    )
