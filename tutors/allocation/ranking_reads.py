"""The ranking page's reads, compiled once per process (meded/prepared.py), into plain rows.

A cold visit of the page (after any write behind it) compiled four joined querysets and built
several hundred model instances (offerings with their topic, module and years, the published
runs and pairs) for a page that prints a few columns of each: about half its cost. These read
the columns the page prints, joined in one statement each, into frozen rows with the same
attribute names as the models (templates and `Offering.ineligible_reason` work unchanged)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from meded.prepared import Prepared, PreparedForIds
from tutors.models import AllocatedTopic, AllocationRun, Offering, RecruitmentRound

_OFFERING_COLUMNS = (
    "id",
    "round",
    "topic",
    "capacity",
    "format",
    "min_tutor_year",
    "created_at",
    "topic__code",
    "topic__title",
    "topic__module",
    "topic__module__name",
    "topic__module__slug",
)


def round_offerings(round_pk: int) -> list[OfferingRow]:
    """Every offering of the round in its usual order (`offerings_for` unfiltered), each with
    its topic and the topic's module."""
    return [OfferingRow.from_row(row) for row in _OFFERINGS.converted_rows(round_pk)]


@dataclass(frozen=True)
class ModuleRow:
    pk: int
    name: str
    slug: str


@dataclass(frozen=True)
class TopicRow:
    pk: int
    code: str
    title: str
    module: ModuleRow


@dataclass(frozen=True)
class OfferingRow:
    """What the ranking page shows of an offering, and decides with it: an `Offering` with its
    topic and module costs several times more to build, and a round has a hundred."""

    pk: int
    round_id: int
    topic: TopicRow
    capacity: int
    format: str
    min_tutor_year: int | None

    @classmethod
    def from_row(cls, row: tuple) -> OfferingRow:
        pk, round_id, topic_id, capacity, format, min_year, _created = row[:7]
        code, title, module_id, module_name, module_slug = row[7:]
        module = ModuleRow(module_id, module_name, module_slug)
        return cls(
            pk, round_id, TopicRow(topic_id, code, title, module), capacity, format, min_year
        )

    @property
    def id(self) -> int:
        return self.pk

    def get_format_display(self) -> str:
        return _FORMATS.get(self.format, self.format)

    def ineligible_reason(self, tutor) -> str | None:
        return Offering.ineligible_reason(self, tutor)  # the model's rule, on these fields


_FORMATS = dict(Offering.Format.choices)


_OFFERINGS = Prepared(
    lambda round_pk: Offering.objects.filter(round_id=round_pk).values_list(*_OFFERING_COLUMNS),
    1,
)


def published_runs(tutor_pk: int) -> list[AllocationRun]:
    """The published runs of the rounds the tutor was accepted in, newest first, each with its
    round (`published_for_tutor`)."""
    runs = _RUNS.instances(tutor_pk)
    rounds = {r.pk: r for r in _ROUNDS.instances(ids=sorted({run.round_id for run in runs}))}
    for run in runs:
        run.round = rounds[run.round_id]
    return runs


_RUNS = Prepared(
    lambda tutor_pk: AllocationRun.objects.filter(
        is_published=True,
        round__applications__applicant=tutor_pk,
        round__applications__status="accepted",
    ).order_by("-published_at"),
    1,
)
_ROUNDS = PreparedForIds(lambda ids: RecruitmentRound.objects.filter(pk__in=ids))


@dataclass(frozen=True)
class PairRow:
    """A published pair as the ranking page shows it (an `AllocatedTopic`'s fields)."""

    pk: int
    run_id: int
    offering: OfferingRow
    rank: int | None
    locked: bool
    unranked_fill: bool


def published_pairs(tutor_pk: int) -> dict[int, list[PairRow]]:
    """The tutor's topics in every published allocation, by run (`published_topics_for`), each
    with its offering, topic and module."""
    mine: dict[int, list[PairRow]] = defaultdict(list)
    for row in _PAIRS.converted_rows(tutor_pk):
        pk, run_id, _offering_id, rank, locked, unranked_fill = row[:6]
        offering = OfferingRow.from_row(row[6:])
        mine[run_id].append(PairRow(pk, run_id, offering, rank, locked, unranked_fill))
    return mine


_PAIRS = Prepared(
    lambda tutor_pk: (
        AllocatedTopic.objects.filter(tutor=tutor_pk, run__is_published=True)
        .order_by("-run__published_at", "rank")
        .values_list(
            "id",
            "run_id",
            "offering_id",
            "rank",
            "locked",
            "unranked_fill",
            *(f"offering__{c}" for c in _OFFERING_COLUMNS),
        )
    ),
    1,
)
