"""CSV input/output of allocation: the command-line dry run's files and the committee's import.

No database and no Django here (only the shared DomainError base), so `manage.py allocate`
works on spreadsheets alone.

Files
-----
``topics.csv``    header ``topic_code,capacity``; one row per topic offering.
``rankings.csv``  header ``tutor_email,rank,topic_code``; one row per ranked topic.
output            ``tutor_email,topic_code,rank``; one row per allocated pair (rank empty
                  for an unranked fill or an unranked locked pair).

Every bad row is reported (file and line), not just the first: the parsers collect
:class:`InputProblem` items and raise one :class:`AllocationInputError` holding them all.
Blank lines are ignored.  Emails are trimmed and lower-cased.  A tutor's ranks need not
be consecutive (1, 2, 5 is read as the order 1st, 2nd, 3rd; a warning says so).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import TextIO

from meded.errors import DomainError
from tutors.allocation.engine import (
    GREEDY,
    OBJECTIVES,
    AllocationInputs,
    AllocationResult,
    Offering,
    Tutor,
)

__all__ = [
    "RANKINGS_HEADER",
    "RESULT_HEADER",
    "TOPICS_HEADER",
    "AllocationInputError",
    "InputProblem",
    "ParsedRankings",
    "allocation_csv",
    "allocation_rows",
    "format_statistics",
    "load_inputs",
    "parse_rankings",
    "parse_topics",
    "write_allocation",
]

TOPICS_HEADER = ("topic_code", "capacity")
RANKINGS_HEADER = ("tutor_email", "rank", "topic_code")
RESULT_HEADER = ("tutor_email", "topic_code", "rank")


@dataclass(frozen=True, order=True)
class InputProblem:
    """One bad line: ``file:line: message``."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class AllocationInputError(DomainError, ValueError):
    """Bad CSV input.  ``file``/``line``/``message`` are the first problem; ``errors`` all.

    Shown (``str``) as every problem, one per line, so nobody fixes one line at a time.
    """

    def __init__(
        self, file: str, line: int, message: str, errors: list[InputProblem] | None = None
    ):
        self.errors = list(errors) if errors else [InputProblem(file, line, message)]
        super().__init__("\n".join(str(e) for e in self.errors))
        self.file = file
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)

    @classmethod
    def from_problems(cls, problems: list[InputProblem]) -> AllocationInputError:
        first = problems[0]
        return cls(first.file, first.line, first.message, problems)


def _rows(
    text: Iterable[str], filename: str, expected: tuple[str, ...], problems: list[InputProblem]
) -> Iterable[tuple[int, tuple[str, ...]]]:
    """(line number, the cells in the order of ``expected``) for each non-blank data row.

    Missing header (first row looks like data) -> one problem, rows read positionally.
    Missing columns -> one problem, the file is skipped.  Extra columns -> one problem.
    Runs once per line of files with tens of thousands of lines: cells are stripped once and
    picked by position, no dict per row.
    """
    reader = csv.reader(text)
    columns: list[str] | None = None
    pick = None
    for row in reader:
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        line = reader.line_num
        if columns is None:
            names = [c.lower() for c in cells]
            if names and names[0].startswith("\ufeff"):
                names[0] = names[0].lstrip("\ufeff")
            missing = [c for c in expected if c not in names]
            extra = [c for c in names if c not in expected]
            if not missing:
                columns = names
                last = {name: i for i, name in enumerate(names)}  # a repeated name: the last
                pick = itemgetter(*(last[c] for c in expected))
                if extra:
                    problems.append(
                        InputProblem(
                            filename,
                            line,
                            f"unexpected column(s) {', '.join(extra)}; "
                            f"header must be {','.join(expected)}",
                        )
                    )
                continue
            if len(cells) == len(expected) and not set(names) & set(expected):
                problems.append(
                    InputProblem(filename, line, f"missing header row {','.join(expected)}")
                )
                columns = list(expected)  # read this row as data
                pick = itemgetter(*range(len(expected)))
            else:
                problems.append(
                    InputProblem(
                        filename,
                        line,
                        f"missing column(s) {', '.join(missing)}; "
                        f"header must be {','.join(expected)}",
                    )
                )
                return
        if len(cells) != len(columns):
            problems.append(
                InputProblem(filename, line, f"expected {len(columns)} columns, found {len(cells)}")
            )
            continue
        yield line, pick(cells)
    if columns is None:
        problems.append(
            InputProblem(filename, 1, f"empty file; expected header {','.join(expected)}")
        )


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def parse_topics(
    text: Iterable[str], filename: str = "topics.csv", problems: list[InputProblem] | None = None
) -> dict[str, int]:
    """topic_code -> capacity.  Raises unless ``problems`` is given to collect into."""
    collect = problems if problems is not None else []
    topics: dict[str, int] = {}
    first_line: dict[str, int] = {}
    for line, (code, raw) in _rows(text, filename, TOPICS_HEADER, collect):
        if not code:
            collect.append(InputProblem(filename, line, "empty topic_code"))
            continue
        capacity = _int(raw)
        if capacity is None:
            collect.append(InputProblem(filename, line, f"capacity {raw!r} is not a whole number"))
        elif capacity < 1:
            collect.append(
                InputProblem(filename, line, f"capacity must be at least 1, got {capacity}")
            )
        if code in first_line:
            collect.append(
                InputProblem(
                    filename,
                    line,
                    f"duplicate topic_code {code!r} (first on line {first_line[code]})",
                )
            )
            continue
        first_line[code] = line
        if capacity is not None and capacity >= 1:
            topics[code] = capacity
    if problems is None and collect:
        raise AllocationInputError.from_problems(collect)
    return topics


@dataclass
class ParsedRankings:
    """email -> topic codes, best first; plus non-fatal warnings."""

    rankings: dict[str, list[str]]
    warnings: list[str] = field(default_factory=list)


def parse_rankings(
    text: Iterable[str],
    known_topics: Iterable[str],
    filename: str = "rankings.csv",
    problems: list[InputProblem] | None = None,
) -> ParsedRankings:
    """Read rankings; checks email, rank, duplicates and unknown topic codes."""
    collect = problems if problems is not None else []
    topics = set(known_topics)
    by_tutor: dict[str, list[tuple[int, str]]] = {}
    seen_topic: dict[tuple[str, str], int] = {}
    seen_rank: dict[tuple[str, int], int] = {}
    for line, (email, raw_rank, code) in _rows(text, filename, RANKINGS_HEADER, collect):
        email = email.lower()
        rank = int(raw_rank) if raw_rank.isdecimal() and raw_rank.isascii() else None
        if (  # the usual row, checked at once; any doubt goes through every check below
            rank
            and email
            and code in topics
            and (email, code) not in seen_topic
            and (email, rank) not in seen_rank
        ):
            seen_topic[email, code] = seen_rank[email, rank] = line
            by_tutor.setdefault(email, []).append((rank, code))
            continue
        ok = True
        if not email:
            collect.append(InputProblem(filename, line, "empty tutor_email"))
            ok = False
        rank = _int(raw_rank)
        if rank is None:
            collect.append(InputProblem(filename, line, f"rank {raw_rank!r} is not a whole number"))
            ok = False
        elif rank < 1:
            collect.append(InputProblem(filename, line, f"rank must be at least 1, got {rank}"))
            ok = False
        if not code:
            collect.append(InputProblem(filename, line, "empty topic_code"))
            ok = False
        elif code not in topics:
            collect.append(InputProblem(filename, line, f"unknown topic_code {code!r}"))
            ok = False
        if email and code and (email, code) in seen_topic:
            collect.append(
                InputProblem(
                    filename,
                    line,
                    f"{email} ranks {code!r} twice (first on line {seen_topic[email, code]})",
                )
            )
            ok = False
        if email and rank is not None and (email, rank) in seen_rank:
            collect.append(
                InputProblem(
                    filename,
                    line,
                    f"{email} uses rank {rank} twice (first on line {seen_rank[email, rank]})",
                )
            )
            ok = False
        if email and code:
            seen_topic.setdefault((email, code), line)
        if email and rank is not None:
            seen_rank.setdefault((email, rank), line)
        if ok and rank is not None:
            by_tutor.setdefault(email, []).append((rank, code))
    warnings = []
    rankings: dict[str, list[str]] = {}
    for email, items in by_tutor.items():
        items.sort()
        ranks = [r for r, _ in items]
        if ranks != list(range(1, len(ranks) + 1)):
            warnings.append(
                f"{filename}: {email} has ranks {ranks}; read as 1..{len(ranks)} in that order"
            )
        rankings[email] = [code for _, code in items]
    if problems is None and collect:
        raise AllocationInputError.from_problems(collect)
    return ParsedRankings(rankings, warnings)


def _open(path: str | Path) -> TextIO:
    return open(path, encoding="utf-8-sig", newline="")


def load_inputs(
    topics_path: str | Path,
    rankings_path: str | Path,
    *,
    max_topics: int = 1,
    objective: str = GREEDY,
    spread: bool = False,
    fill_unranked: bool = False,
    seed: int = 0,
) -> tuple[AllocationInputs, list[str]]:
    """Read both files, report every problem in both at once, return inputs + warnings."""
    if objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {objective!r}")
    problems: list[InputProblem] = []
    with _open(topics_path) as fh:
        topics = parse_topics(fh, Path(topics_path).name, problems)
    with _open(rankings_path) as fh:
        parsed = parse_rankings(fh, topics, Path(rankings_path).name, problems)
    if problems:
        raise AllocationInputError.from_problems(problems)
    inputs = AllocationInputs(
        offerings=tuple(Offering(code, cap) for code, cap in topics.items()),
        tutors=tuple(
            Tutor(email, tuple(codes), max_topics) for email, codes in parsed.rankings.items()
        ),
        objective=objective,
        spread=spread,
        fill_unranked=fill_unranked,
        seed=seed,
    )
    return inputs, parsed.warnings


def allocation_rows(result: AllocationResult) -> list[tuple[str, str, int | str]]:
    """One ``tutor_email,topic_code,rank`` row per pair (rank empty if unranked)."""
    return [(p.tutor, p.offering, "" if p.rank is None else p.rank) for p in result.pairs]


def write_allocation(result: AllocationResult, out: TextIO) -> int:
    """Write ``tutor_email,topic_code,rank`` rows (rank empty if unranked); returns rows."""
    from meded.exports import safe_cell  # the one exporter's cell rule: no formulas

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RESULT_HEADER)
    writer.writerows([safe_cell(v) for v in row] for row in allocation_rows(result))
    return len(result.pairs)


def allocation_csv(result: AllocationResult) -> str:
    """The output file as a string."""
    buf = io.StringIO()
    write_allocation(result, buf)
    return buf.getvalue()


def format_statistics(result: AllocationResult) -> str:
    """Human-readable summary for stderr."""
    s = result.statistics
    objective = OBJECTIVES.get(result.objective)
    name = objective.label if objective else result.objective
    options = [
        o for o, on in (("spread", result.spread), ("fill unranked", result.fill_unranked)) if on
    ]
    lines = [
        f"Objective: {name}" + (f" ({', '.join(options)})" if options else "") + f", seed {s.seed}",
        f"Places filled: {s.places_filled} of {s.places_total}",
        f"Tutors: {s.tutors_total}, unallocated: {len(s.tutors_unallocated)}",
        f"1st choice: {s.first_choice_count} ({s.first_choice_pct:.1f}%)",
        f"Top 3: {s.top3_count} ({s.top3_pct:.1f}%)",
        f"Worst rank: {s.worst_rank if s.worst_rank is not None else '-'}",
        "Rank histogram: "
        + (", ".join(f"{r}: {c}" for r, c in sorted(s.rank_histogram.items())) or "-"),
    ]
    if s.unranked_fills:
        lines.append(f"Unranked fills: {s.unranked_fills}")
    if s.locked_count:
        lines.append(f"Locked pairs: {s.locked_count}")
    for w in result.warnings:
        lines.append(f"Warning: {w}")
    if s.tutors_unallocated:
        shown = ", ".join(s.tutors_unallocated[:20])
        more = len(s.tutors_unallocated) - 20
        lines.append(f"Unallocated: {shown}" + (f" and {more} more" if more > 0 else ""))
    return "\n".join(lines)
