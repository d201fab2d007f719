"""Mentoring reads: a member's schemes and pairs, a scheme for the committee."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from meded.prepared import Prepared, PreparedForIds

from .models import (
    ChangeRequest,
    CheckIn,
    MenteeRequest,
    MentoringScheme,
    MentorOffer,
    MentorPair,
    SchemeState,
)


def open_schemes() -> QuerySet[MentoringScheme]:
    return MentoringScheme.objects.filter(state=SchemeState.OPEN)


def open_schemes_for(user) -> list[dict]:
    """The open schemes with the member's own offer or request in each (open schemes only:
    their past sign-ups are not read)."""
    schemes = list(open_schemes())
    ids = [s.pk for s in schemes]
    offers = {o.scheme_id: o for o in MentorOffer.objects.filter(mentor=user, scheme_id__in=ids)}
    asks = {r.scheme_id: r for r in MenteeRequest.objects.filter(mentee=user, scheme_id__in=ids)}
    return [{"scheme": s, "offer": offers.get(s.pk), "ask": asks.get(s.pk)} for s in schemes]


def pairs_of(user) -> QuerySet[MentorPair]:
    return (
        MentorPair.objects.filter(Q(mentor=user) | Q(mentee=user), introduced_at__isnull=False)
        .filter(ended_at__isnull=True)
        .select_related("scheme", "mentor", "mentee")
        .prefetch_related("check_ins", "change_requests")
    )


def schemes_with_counts() -> QuerySet[MentoringScheme]:
    return MentoringScheme.objects.annotate(
        n_offers=Count("offers", distinct=True),
        n_requests=Count("requests", distinct=True),
        n_pairs=Count("pairs", filter=Q(pairs__ended_at__isnull=True), distinct=True),
    )


def scheme_detail(scheme: MentoringScheme) -> dict:
    return {
        "offers": scheme.offers.select_related("mentor"),
        "requests": scheme.requests.select_related("mentee"),
        "pairs": scheme.pairs.filter(ended_at__isnull=True)
        .select_related("mentor", "mentee")
        .prefetch_related("check_ins"),
        "rules": scheme.rules.select_related("mentor", "mentee"),
        "changes": [
            c
            for p in scheme.pairs.select_related("mentor", "mentee").prefetch_related(
                "change_requests"
            )
            for c in p.change_requests.all()
            if c.resolved_at is None
        ],
    }


# The member's mentoring page is computed again after any write to the tables it read; each of
# its reads compiled on every such visit cost more than it took to run. Compiled once per
# process, the same rows:


def open_schemes_for_member(user) -> list[dict]:
    """`open_schemes_for`, read by prepared statements."""
    schemes = _OPEN.instances()
    offers = {o.scheme_id: o for o in _OFFERS.instances(user.pk)}
    asks = {r.scheme_id: r for r in _ASKS.instances(user.pk)}
    return [{"scheme": s, "offer": offers.get(s.pk), "ask": asks.get(s.pk)} for s in schemes]


def member_pairs(user) -> list[MentorPair]:
    """`pairs_of`, each pair with its scheme, mentor, mentee, check-ins and change requests (as
    its select_related and prefetch_related give them), read by prepared statements."""
    pairs = _PAIRS.instances(user.pk)
    if not pairs:
        return pairs
    ids = [p.pk for p in pairs]
    schemes = {s.pk: s for s in _SCHEMES.instances(ids=sorted({p.scheme_id for p in pairs}))}
    people = sorted({p.mentor_id for p in pairs} | {p.mentee_id for p in pairs})
    users = {u.pk: u for u in _USERS.instances(ids=people)}
    check_ins, changes = defaultdict(list), defaultdict(list)
    for c in _CHECK_INS.instances(ids=ids):
        check_ins[c.pair_id].append(c)
    for c in _CHANGES.instances(ids=ids):
        changes[c.pair_id].append(c)
    for p in pairs:
        p.scheme, p.mentor, p.mentee = schemes[p.scheme_id], users[p.mentor_id], users[p.mentee_id]
        p._prefetched_objects_cache = {}
        for name, rows in (("check_ins", check_ins), ("change_requests", changes)):
            prefetched = getattr(p, name).get_queryset()  # built, not run
            prefetched._result_cache, prefetched._prefetch_done = rows[p.pk], True
            p._prefetched_objects_cache[name] = prefetched
    return pairs


_OPEN = Prepared(lambda: open_schemes(), 0)
_OFFERS = Prepared(
    lambda user_pk: MentorOffer.objects.filter(mentor=user_pk, scheme__state=SchemeState.OPEN), 1
)
_ASKS = Prepared(
    lambda user_pk: MenteeRequest.objects.filter(mentee=user_pk, scheme__state=SchemeState.OPEN),
    1,
)
_PAIRS = Prepared(
    lambda user_pk: MentorPair.objects.filter(
        Q(mentor=user_pk) | Q(mentee=user_pk), introduced_at__isnull=False, ended_at__isnull=True
    ),
    1,
)
_SCHEMES = PreparedForIds(lambda ids: MentoringScheme.objects.filter(pk__in=ids))
_USERS = PreparedForIds(lambda ids: get_user_model().objects.filter(pk__in=ids))
_CHECK_INS = PreparedForIds(lambda ids: CheckIn.objects.filter(pair_id__in=ids))
_CHANGES = PreparedForIds(lambda ids: ChangeRequest.objects.filter(pair_id__in=ids))
