"""Mentoring reads: a member's schemes and pairs, a scheme for the committee."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import MenteeRequest, MentoringScheme, MentorOffer, MentorPair, SchemeState


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
