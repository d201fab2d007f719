"""Mentoring operations: offer, ask, match (through the engine), introduce, check in, change.

Each raises MentoringError, a DomainError shown to the member as is.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from meded.errors import DomainError
from meded.notifications import notify
from meded.parsing import parse_int
from meded.roles import COMMITTEE_GROUP

from . import matching
from .models import (
    ChangeRequest,
    CheckIn,
    MenteeRequest,
    MentoringScheme,
    MentorOffer,
    MentorPair,
    PairRule,
    SchemeKind,
    SchemeState,
)

S = SchemeState


class MentoringError(DomainError):
    """A mentoring rule said no."""


def create_scheme(actor, name: str, kind: str, check_in_weeks: str = "2,6") -> MentoringScheme:
    name = (name or "").strip()
    if not name:
        raise MentoringError("Give the scheme a name.", field="name")
    if MentoringScheme.objects.filter(name=name).exists():
        raise MentoringError("A scheme with this name already exists.", field="name")
    if kind not in SchemeKind.values:
        raise MentoringError("Choose mentoring or buddy scheme.", field="kind")
    weeks = [w.strip() for w in (check_in_weeks or "").split(",") if w.strip()]
    if any(parse_int(w, low=1, high=52) is None for w in weeks):
        raise MentoringError('Weeks are numbers from 1 to 52, e.g. "2,6".', field="check_in_weeks")
    return MentoringScheme.objects.create(name=name, kind=kind, check_in_weeks=",".join(weeks))


def _topics(scheme: MentoringScheme, topics: list[str], field: str) -> list[str]:
    known = dict(scheme.topics)
    topics = [t for t in dict.fromkeys(topics) if t]
    if not topics:
        raise MentoringError("Choose at least one.", field=field)
    unknown = [t for t in topics if t not in known]
    if unknown:
        raise MentoringError(f"Unknown choice: {', '.join(unknown)}.", field=field)
    return topics


def _open(scheme: MentoringScheme) -> None:
    if scheme.state != S.OPEN:
        raise MentoringError("This scheme is no longer taking sign-ups.")


def offer_to_mentor(
    user, scheme: MentoringScheme, capacity: int, topics: list[str], note: str = ""
) -> MentorOffer:
    _open(scheme)
    if scheme.kind == SchemeKind.MENTORING and user.seniority < 3:
        raise MentoringError("Mentors are in year 3 or later (your verified year).")
    if scheme.kind == SchemeKind.BUDDY and user.seniority < 2:
        raise MentoringError("Buddies are in year 2 or later (your verified year).")
    if parse_int(capacity, low=1, high=5) is None:
        raise MentoringError("Offer to take between 1 and 5 people.", field="capacity")
    if MenteeRequest.objects.filter(scheme=scheme, mentee=user).exists():
        raise MentoringError("You asked for a mentor in this scheme; withdraw that first.")
    offer, _ = MentorOffer.objects.update_or_create(
        scheme=scheme,
        mentor=user,
        defaults={
            "capacity": int(capacity),
            "topics": _topics(scheme, topics, "topics"),
            "note": (note or "")[:300],
        },
    )
    return offer


def ask_for_mentor(user, scheme: MentoringScheme, priorities: list[str], note: str = ""):
    _open(scheme)
    if scheme.kind == SchemeKind.BUDDY and user.year_of_study != "1":
        raise MentoringError("The buddy scheme is for first-years.")
    if MentorOffer.objects.filter(scheme=scheme, mentor=user).exists():
        raise MentoringError("You offered to mentor in this scheme; withdraw that first.")
    request, _ = MenteeRequest.objects.update_or_create(
        scheme=scheme,
        mentee=user,
        defaults={
            "priorities": _topics(scheme, priorities, "priorities"),
            "note": (note or "")[:300],
        },
    )
    return request


def withdraw(user, scheme: MentoringScheme) -> None:
    _open(scheme)
    MentorOffer.objects.filter(scheme=scheme, mentor=user).delete()
    MenteeRequest.objects.filter(scheme=scheme, mentee=user).delete()


def set_rule(actor, scheme: MentoringScheme, mentor, mentee, kind: str | None) -> None:
    """Lock or forbid a pair for the next matching (kind None removes the rule)."""
    if scheme.state not in (S.OPEN, S.MATCHING):
        raise MentoringError("Pairs are fixed once introduced.")
    PairRule.objects.filter(scheme=scheme, mentor=mentor, mentee=mentee).delete()
    if kind:
        PairRule.objects.create(scheme=scheme, mentor=mentor, mentee=mentee, kind=kind)


def run_matching(actor, scheme: MentoringScheme, seed: int = 0) -> list[MentorPair]:
    """Close sign-ups and (re)make every pair not yet introduced, exactly, with explanations."""
    if scheme.state not in (S.OPEN, S.MATCHING):
        raise MentoringError("Pairs have been introduced; matching cannot be re-run.")
    offers = list(scheme.offers.select_related("mentor"))
    requests = list(scheme.requests.select_related("mentee"))
    if not offers or not requests:
        raise MentoringError("Matching needs at least one offer and one request.")
    mentors = [
        matching.Mentor(str(o.mentor_id), o.capacity, frozenset(o.topics), o.mentor.seniority)
        for o in offers
    ]
    mentees = [
        matching.Mentee(str(r.mentee_id), tuple(r.priorities), r.mentee.seniority) for r in requests
    ]
    known = {m.id for m in mentors}, {m.id for m in mentees}
    rules = {"lock": set(), "forbid": set()}
    for rule in scheme.rules.all():
        pair = (str(rule.mentee_id), str(rule.mentor_id))
        if pair[0] in known[1] and pair[1] in known[0]:
            rules[rule.kind].add(pair)
    matches, _result, _inputs = matching.match(
        mentors, mentees, rules["lock"], rules["forbid"], seed, dict(scheme.topics)
    )
    with transaction.atomic():
        scheme = MentoringScheme.objects.select_for_update().get(pk=scheme.pk)
        if scheme.state not in (S.OPEN, S.MATCHING):
            raise MentoringError("Pairs have been introduced; matching cannot be re-run.")
        scheme.pairs.filter(introduced_at__isnull=True).delete()
        pairs = MentorPair.objects.bulk_create(
            MentorPair(
                scheme=scheme,
                mentor_id=int(m.mentor),
                mentee_id=int(m.mentee),
                rank=m.rank,
                shared_topics=list(m.shared),
                locked=m.locked,
                explanation=m.why,
            )
            for m in matches
        )
        scheme.state = S.MATCHING
        scheme.save(update_fields=["state"])
    return pairs


def introduction_letters(scheme: MentoringScheme) -> list[tuple[Any, MentorPair, Any]]:
    """Who gets an introduction email, about which pair and to whom (mentee first)."""
    out = []
    pairs = scheme.pairs.filter(introduced_at__isnull=True).select_related("mentor", "mentee")
    for pair in pairs.order_by("pk"):
        out += [(pair.mentee, pair, pair.mentor), (pair.mentor, pair, pair.mentee)]
    return out


def introduction_preview(scheme: MentoringScheme) -> list[tuple[Any, MentorPair]]:
    """Who gets an introduction email, and about which pair (shown before confirming)."""
    return [(person, pair) for person, pair, _ in introduction_letters(scheme)]


def introduce(actor, scheme: MentoringScheme) -> list[int]:
    """Mark each pair introduced (check-ins are then due by week); returns the pairs' ids.

    It writes no email: the introductions (two people per pair) go through the
    "tutors.introduce_mentoring" mass action (mentoring/mailings.py), which previews them,
    calls this inside its confirming transaction and holds them for the undo window.
    """
    with transaction.atomic():
        scheme = MentoringScheme.objects.select_for_update().get(pk=scheme.pk)
        if scheme.state != S.MATCHING:
            raise MentoringError("Run the matching first.")
        pairs = list(scheme.pairs.select_for_update().filter(introduced_at__isnull=True))
        if not pairs:
            raise MentoringError("There are no pairs to introduce.")
        now = timezone.now()
        MentorPair.objects.filter(pk__in=[p.pk for p in pairs]).update(introduced_at=now)
        scheme.state = S.PUBLISHED
        scheme.introduced_at = now
        scheme.save(update_fields=["state", "introduced_at"])
    return [p.pk for p in pairs]


def send_due_check_ins(sender=None, now=None, **kwargs) -> int:
    """Periodic: for each live pair, each check-in week reached gets one check-in and one email
    to the mentee. Derived from the database, so a missed run catches up."""
    now = now or timezone.now()
    done = 0
    pairs = MentorPair.objects.filter(
        introduced_at__isnull=False, ended_at__isnull=True, scheme__state=S.PUBLISHED
    ).select_related("scheme", "mentee", "mentor")
    for pair in pairs:
        for week in pair.scheme.weeks:
            if pair.introduced_at + timedelta(weeks=week) > now:
                continue
            with transaction.atomic():
                check_in, created = CheckIn.objects.get_or_create(pair=pair, week=week)
                if created:
                    notify(
                        pair.mentee,
                        "mentoring_check_in",
                        check_in,
                        {"check_in": check_in, "pair": pair},
                    )
                    done += 1
    return done


def answer_check_in(user, check_in: CheckIn, met: bool) -> CheckIn:
    pair = check_in.pair
    if user.pk not in (pair.mentor_id, pair.mentee_id):
        raise MentoringError("This check-in is not yours.")
    check_in.met = bool(met)
    check_in.answered_at = timezone.now()
    check_in.save(update_fields=["met", "answered_at"])
    return check_in


def request_change(user, pair: MentorPair, reason: str = "") -> ChangeRequest:
    """A mentee asks privately for a different mentor: the committee is told, the mentor not."""
    if pair.mentee_id != user.pk:
        raise MentoringError("Only the mentee can ask for a change.")
    if pair.ended_at:
        raise MentoringError("This pairing has already ended.")
    if pair.change_requests.filter(resolved_at__isnull=True).exists():
        raise MentoringError("You have already asked; the committee will be in touch.")
    with transaction.atomic():
        change = ChangeRequest.objects.create(pair=pair, reason=(reason or "")[:1000])
        PairRule.objects.update_or_create(
            scheme=pair.scheme, mentor=pair.mentor, mentee=pair.mentee, defaults={"kind": "forbid"}
        )
        for member in get_user_model().objects.filter(groups__name=COMMITTEE_GROUP):
            notify(member, "mentoring_change_requested", change, {"change": change, "pair": pair})
    return change


def choose_new_mentor(actor, change: ChangeRequest, new_mentor) -> ChangeRequest:
    """The committee chooses the new mentor; the pair is made, and both are introduced, once
    it confirms the "tutors.mentoring_new_pair" mass action (preview, undo window)."""
    with transaction.atomic():
        change = ChangeRequest.objects.select_for_update().select_related("pair").get(pk=change.pk)
        if change.resolved_at:
            raise MentoringError("This request is already resolved.")
        if new_mentor.pk in (change.pair.mentor_id, change.pair.mentee_id):
            raise MentoringError("Choose a different mentor.", field="mentor")
        change.new_mentor = new_mentor
        change.save(update_fields=["new_mentor"])
    return change


def resolve_change(actor, change: ChangeRequest, new_mentor=None) -> MentorPair | None:
    """End the old pairing; with ``new_mentor`` make the new one (introduced_at set).

    It writes no email: the two introductions go through the "tutors.mentoring_new_pair" mass
    action (mentoring/mailings.py), which calls this inside its confirming transaction."""
    with transaction.atomic():
        change = ChangeRequest.objects.select_for_update().select_related("pair").get(pk=change.pk)
        if change.resolved_at:
            raise MentoringError("This request is already resolved.")
        pair = change.pair
        if new_mentor is not None and new_mentor.pk in (pair.mentor_id, pair.mentee_id):
            raise MentoringError("Choose a different mentor.", field="mentor")
        now = timezone.now()
        pair.ended_at = now
        pair.save(update_fields=["ended_at"])
        change.resolved_at = now
        change.save(update_fields=["resolved_at"])
        if new_mentor is None:
            return None
        return MentorPair.objects.create(
            scheme=pair.scheme,
            mentor=new_mentor,
            mentee=pair.mentee,
            locked=True,
            explanation="Paired by the committee after a change request.",
            introduced_at=now,
        )
