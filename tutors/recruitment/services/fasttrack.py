"""Fast track for returning tutors: the rule, the evidence, and who qualifies.

A tutor who taught in an earlier round and clears the round's rule skips the interview and goes
straight to a decision. The teaching record comes up from the floors above through the
`meded.signals.teaching_record` signal; the judgement itself (`judge`) is plain Python so each
threshold can be tested on both sides without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from meded import signals
from meded.prepared import Prepared
from tutors.models import (
    Application,
    ApplicationStatus,
    FastTrackRule,
    RecruitmentRound,
    TutorConcern,
)
from tutors.recruitment.models import OBSERVATION_LEVELS

from . import RecruitmentError

LEVEL_NAMES = {1: "Needs work", 2: "Developing", 3: "Good", 4: "Excellent"}


@dataclass(frozen=True)
class Check:
    """One line of the rule: what was asked, whether it was met, and the figure behind it."""

    label: str
    met: bool
    detail: str


@dataclass
class Verdict:
    offered: bool
    checks: list[Check] = field(default_factory=list)

    @property
    def qualifies(self) -> bool:
        return self.offered and bool(self.checks) and all(c.met for c in self.checks)

    @property
    def missing(self) -> list[Check]:
        return [c for c in self.checks if not c.met]


def rule_for(round: RecruitmentRound) -> FastTrackRule | None:
    """The round's rule, if enabled (asked on every cold fast-track and apply page: compiled
    once per process)."""
    found = _RULE.instances(round.pk)
    return found[0] if found and found[0].enabled else None


_RULE = Prepared(
    lambda round_pk: FastTrackRule.objects.filter(round=round_pk).order_by("pk")[:1], 1
)


def describe(rule: FastTrackRule) -> list[str]:
    """The rule in plain words, shown to applicants before they apply."""
    lines = [
        "You taught with the society in an earlier round.",
        f"You have taught at least {rule.min_sessions} session"
        f"{'' if rule.min_sessions == 1 else 's'}.",
        f"Your mean overall feedback is at least {rule.min_mean:.1f} out of 5, over at least "
        f"{rule.min_responses} responses (only sessions whose results were released count).",
    ]
    if rule.min_observation_level:
        lines.append(
            "A peer observer rated a session of yours "
            f"{LEVEL_NAMES[rule.min_observation_level]} or better on average."
        )
    lines.append("The committee has no open concern about your teaching.")
    return lines


def teaching_record(user) -> dict[str, Any]:
    """The member's teaching figures, gathered from the apps above (sessions, feedback)."""
    record: dict[str, Any] = {}
    for value in signals.collect(signals.teaching_record, user=user):
        record.update(value)
    return record


def evidence_for(user, round: RecruitmentRound) -> dict[str, Any]:
    """Everything the rule looks at, as plain figures (stored with the application)."""
    record = teaching_record(user)
    earlier = _EARLIER.rows(user.pk, round.pk, round.applications_open)
    return {
        "earlier_rounds": [name for (name,) in earlier],
        "sessions_taught": int(record.get("sessions_taught", 0)),
        "responses": int(record.get("responses", 0)),
        "mean_feedback": record.get("mean_feedback"),
        "best_observation": record.get("best_observation"),
        "open_concerns": _OPEN_CONCERNS.count(user.pk),
    }


# Read by every cold fast-track verdict: compiled once per process.
_EARLIER = Prepared(
    lambda user_pk, round_pk, opened: (
        Application.objects.filter(applicant=user_pk, status=ApplicationStatus.ACCEPTED)
        .exclude(round=round_pk)
        .filter(round__applications_open__lt=opened)
        .order_by("-round__applications_open")
        .values_list("round__name")
    ),
    3,
)
_OPEN_CONCERNS = Prepared(
    lambda user_pk: (
        TutorConcern.objects.filter(tutor=user_pk, resolved_at__isnull=True).order_by().values("pk")
    ),
    1,
)


def judge(rule: FastTrackRule | None, evidence: dict[str, Any]) -> Verdict:
    """Check each threshold against the evidence. Pure: no queries."""
    if rule is None or not rule.enabled:
        return Verdict(offered=False)
    rounds = evidence.get("earlier_rounds") or []
    taught = evidence.get("sessions_taught", 0)
    responses = evidence.get("responses", 0)
    mean = evidence.get("mean_feedback")
    best = evidence.get("best_observation")
    concerns = evidence.get("open_concerns", 0)
    checks = [
        Check(
            "Taught in an earlier round",
            bool(rounds),
            f"Accepted in {', '.join(rounds)}" if rounds else "No earlier round as a tutor",
        ),
        Check(
            f"At least {rule.min_sessions} sessions taught",
            taught >= rule.min_sessions,
            f"{taught} taught",
        ),
        Check(
            f"At least {rule.min_responses} feedback responses",
            responses >= rule.min_responses,
            f"{responses} responses in released results",
        ),
        Check(
            f"Mean overall feedback at least {rule.min_mean:.2f}",
            mean is not None and Decimal(str(mean)) >= rule.min_mean,
            f"Mean {mean:.2f}" if mean is not None else "No released feedback yet",
        ),
    ]
    if rule.min_observation_level:
        label = dict(OBSERVATION_LEVELS)[rule.min_observation_level]
        checks.append(
            Check(
                f"Peer observation: {label.lower()}",
                best is not None and best >= rule.min_observation_level,
                f"Best observation {best:.1f} of 4" if best is not None else "No observation yet",
            )
        )
    checks.append(
        Check(
            "No open concerns",
            concerns == 0,
            "None" if not concerns else f"{concerns} open",
        )
    )
    return Verdict(offered=True, checks=checks)


def verdict_for(user, round: RecruitmentRound) -> tuple[Verdict, dict[str, Any]]:
    """Whether this member qualifies for the round's fast track, and why (or why not)."""
    rule = rule_for(round)
    if rule is None:
        return Verdict(offered=False), {}
    evidence = evidence_for(user, round)
    return judge(rule, evidence), evidence


def save_rule(actor, round: RecruitmentRound, values: dict[str, Any]) -> FastTrackRule:
    """Set the round's fast-track rule (checked by the rule form)."""
    with transaction.atomic():
        rule, _ = FastTrackRule.objects.get_or_create(round=round)
        for name, value in values.items():
            setattr(rule, name, value)
        rule.save()
    return rule


def raise_concern(actor, tutor, summary: str) -> TutorConcern:
    summary = (summary or "").strip()
    if not summary:
        raise RecruitmentError("Say in a few words what the concern is.", field="summary")
    return TutorConcern.objects.create(tutor=tutor, summary=summary[:200], raised_by=actor)


def resolve_concern(actor, concern: TutorConcern) -> TutorConcern:
    if concern.resolved_at:
        raise RecruitmentError("This concern is already resolved.")
    concern.resolved_at = timezone.now()
    concern.save(update_fields=["resolved_at"])
    return concern
