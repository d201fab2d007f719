"""Tutors' topic rankings: saving a whole ordered list, and importing many from CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from meded.errors import DomainError
from meded.notifications import notify
from meded.prepared import Prepared
from tutors.allocation.csv import AllocationInputError, InputProblem, parse_rankings
from tutors.allocation.selectors import ranking_reminder_due
from tutors.models import Offering, Ranking, RecruitmentRound, RoundState
from tutors.recruitment.selectors import accepted_tutors


class RankingError(DomainError):
    """The ranking was not saved; ``errors`` lists every reason, each shown to the tutor."""

    def __init__(self, errors: Sequence[str]):
        self.errors = list(errors)
        super().__init__(" ".join(self.errors))


def window_is_open(round: RecruitmentRound, now: datetime | None = None) -> bool:
    """Rankings can change only in the ranking state and between the window's times."""
    now = now or timezone.now()
    return round.state == RoundState.RANKING and round.ranking_opens <= now < round.ranking_closes


def is_round_tutor(round: RecruitmentRound, user) -> bool:
    return bool(_ROUND_TUTOR.rows(round.pk, user.pk))


# Asked on every cold visit of the ranking page: compiled once per process.
_ROUND_TUTOR = Prepared(
    lambda round_pk, user_pk: accepted_tutors(round_pk).filter(pk=user_pk).values_list("pk")[:1],
    2,
)


def ranking_problems(
    round: RecruitmentRound, tutor, offerings: Sequence[Offering | None]
) -> list[str]:
    """Every reason the list cannot be saved (empty: fine). ``None`` marks an unknown id."""
    errors = []
    if any(o is None or o.round_id != round.pk for o in offerings):
        errors.append("One of the topics is not offered in this round.")
    known = [o for o in offerings if o is not None and o.round_id == round.pk]
    seen, dupes = set(), []
    for o in known:
        if o.pk in seen and o not in dupes:
            dupes.append(o)
        seen.add(o.pk)
    for o in dupes:
        errors.append(f"{o.topic.code} is in your list twice; each topic can be ranked once.")
    for o in known:
        reason = o.ineligible_reason(tutor)
        if reason:
            errors.append(f"{o.topic.code}: {reason}")
    n = len(offerings)
    if n < round.min_rank:
        errors.append(f"Rank at least {round.min_rank} topics (you have {n}).")
    if n > round.max_rank:
        errors.append(f"Rank at most {round.max_rank} topics (you have {n}).")
    return errors


def save_ranking(
    tutor, round: RecruitmentRound, offering_ids: Sequence[int], *, now: datetime | None = None
) -> list[Ranking]:
    """Replace the tutor's ranking in this round with ``offering_ids`` (best first), whole.

    The tutor's user row is locked so two saves at once cannot interleave their ranks.
    """
    if not is_round_tutor(round, tutor):
        raise RankingError(["You are not a tutor in this recruitment round."])
    if not window_is_open(round, now):
        raise RankingError(["The ranking window is closed; your ranking can no longer change."])
    by_id = {o.pk: o for o in round.offerings.select_related("topic").filter(pk__in=offering_ids)}
    offerings = [by_id.get(int(i)) for i in offering_ids]
    errors = ranking_problems(round, tutor, offerings)
    if errors:
        raise RankingError(errors)
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=tutor.pk).first()
        Ranking.objects.filter(round=round, tutor=tutor).delete()
        return Ranking.objects.bulk_create(
            Ranking(round=round, tutor=tutor, offering=o, rank=i + 1)
            for i, o in enumerate(offerings)
        )


@dataclass
class ImportResult:
    tutors: int
    rows: int
    warnings: list[str]


def import_rankings_csv(round: RecruitmentRound, text: str, filename: str = "rankings.csv"):
    """Committee import of ``tutor_email,rank,topic_code``: all rows apply, or none.

    Each tutor in the file gets exactly the ranking in the file (others are untouched).
    Every bad row is reported with its line; the size limits of the round are not
    enforced here (the committee may enter partial lists), eligibility is.
    """
    offerings = {o.topic.code: o for o in round.offerings.select_related("topic")}
    problems: list[InputProblem] = []
    parsed = parse_rankings(io.StringIO(text), offerings, filename, problems)
    tutors = {u.email.lower(): u for u in accepted_tutors(round)}
    first_line, pair_line = _lines(text)
    for email, codes in parsed.rankings.items():
        line = first_line.get(email, 1)
        tutor = tutors.get(email)
        if tutor is None:
            problems.append(
                InputProblem(filename, line, f"{email} is not an accepted tutor of this round")
            )
            continue
        for code in codes:
            reason = offerings[code].ineligible_reason(tutor)
            if reason:
                at = pair_line.get((email, code), line)
                message = f"{email} may not rank {code}: {reason}"
                problems.append(InputProblem(filename, at, message))
    if problems:
        raise AllocationInputError.from_problems(sorted(problems))
    with transaction.atomic():
        chosen = [tutors[e] for e in parsed.rankings]
        Ranking.objects.filter(round=round, tutor__in=chosen).delete()
        rows = Ranking.objects.bulk_create(
            Ranking(round=round, tutor=tutors[email], offering=offerings[code], rank=i + 1)
            for email, codes in parsed.rankings.items()
            for i, code in enumerate(codes)
        )
    return ImportResult(tutors=len(parsed.rankings), rows=len(rows), warnings=parsed.warnings)


def _lines(text: str) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Line of each email's first row and of each (email, code) row, for precise messages."""
    by_email: dict[str, int] = {}
    by_pair: dict[tuple[str, str], int] = {}
    reader = csv.reader(io.StringIO(text))
    for row in reader:
        if len(row) >= 3:
            email = row[0].strip().lower()
            by_email.setdefault(email, reader.line_num)
            by_pair.setdefault((email, row[2].strip()), reader.line_num)
    return by_email, by_pair


def send_ranking_reminders(now: datetime | None = None) -> int:
    """Remind, once per round, each tutor who has not ranked 48 hours before the window closes.

    Derived from the database on every beat, so a missed run catches up on the next one.
    """
    sent = 0
    for round in ranking_reminder_due(now):
        waiting = accepted_tutors(round).exclude(topic_rankings__round=round)
        for tutor in waiting:
            with transaction.atomic():
                if notify(tutor, "ranking_deadline_reminder", round, {"round": round}):
                    sent += 1
    return sent


def ranking_reminders(**kwargs) -> int:
    """The `periodic_task` receiver: remind the tutors who are due a ranking reminder."""
    return send_ranking_reminders()
