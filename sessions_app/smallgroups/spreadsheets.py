"""Read the form_groups spreadsheets (availability, tutors, students) into engine inputs.

Every bad line is reported as `FILE:LINE: problem`; nothing is returned unless all are good.
No Django here: the command and any future upload page share it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .engine import GroupInputs, Person, TutorInput
from .engine.grid import parse_day, parse_time, window_cells


class SpreadsheetError(ValueError):
    """Carries every `FILE:LINE: problem` found, in file and line order."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class _Reader:
    problems: list[str] = field(default_factory=list)

    def rows(self, path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            self.problems.append(f"{path}:0: cannot read the file ({exc.strerror})")
            return
        except UnicodeDecodeError:
            self.problems.append(f"{path}:0: not UTF-8 text")
            return
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip().lower() for h in reader.fieldnames or []]
        missing = [c for c in required if c not in header]
        if missing:
            self.problems.append(f"{path}:1: missing column {', '.join(missing)}")
            return
        reader.fieldnames = header
        for row in reader:
            values = {k: (v or "").strip() for k, v in row.items() if k is not None}
            if not any(values.values()):
                continue  # blank lines are not people
            yield reader.line_num, values

    def bad(self, path: Path, line: int, problem: str) -> None:
        self.problems.append(f"{path}:{line}: {problem}")


def read_spreadsheets(
    availability: Path,
    tutors: Path,
    students: Path,
    *,
    size: int,
    minutes: int,
    seed: int = 0,
) -> GroupInputs:
    """The engine's inputs, or SpreadsheetError listing every bad line of every file."""
    r = _Reader()
    if size < 1:
        r.problems.append(f"--size {size}: a group needs at least one student")
    if minutes < 30 or minutes % 30:
        r.problems.append(f"--minutes {minutes}: meetings last a multiple of 30 minutes")
    free: dict[str, set[int]] = {}
    for line, row in r.rows(availability, ("email", "day", "start", "end")):
        email = row["email"].lower()
        if "@" not in email:
            r.bad(availability, line, f"email {row['email']!r} is not an email address")
            continue
        try:
            day = parse_day(row["day"])
            start = parse_time(row["start"])
            end = parse_time(row["end"], allow_midnight_end=True)
        except ValueError as exc:
            r.bad(availability, line, str(exc))
            continue
        if end <= start:
            r.bad(
                availability, line, f"window ends ({row['end']}) before it starts ({row['start']})"
            )
            continue
        free.setdefault(email, set()).update(window_cells(day, start, end))  # overlaps merge
    tutor_rows: dict[str, int] = {}
    for line, row in r.rows(tutors, ("email",)):
        email = row["email"].lower()
        groups_text = row.get("groups", "") or "1"
        if email not in free:
            r.bad(tutors, line, f"unknown email {row['email']!r} (not in {availability.name})")
        elif email in tutor_rows:
            r.bad(tutors, line, f"{row['email']} is listed twice")
        elif not (groups_text.isascii() and groups_text.isdigit()) or len(groups_text) > 4:
            r.bad(tutors, line, f"groups {groups_text[:20]!r} is not a whole number")
        else:
            tutor_rows[email] = int(groups_text)
    student_rows: list[str] = []
    for line, row in r.rows(students, ("email",)):
        email = row["email"].lower()
        if email not in free:
            r.bad(students, line, f"unknown email {row['email']!r} (not in {availability.name})")
        elif email in student_rows:
            r.bad(students, line, f"{row['email']} is listed twice")
        elif email in tutor_rows:
            r.bad(students, line, f"{row['email']} is also a tutor")
        else:
            student_rows.append(email)
    if r.problems:
        raise SpreadsheetError(r.problems)
    return GroupInputs(
        tutors=tuple(TutorInput(e, g, frozenset(free[e])) for e, g in tutor_rows.items()),
        students=tuple(Person(e, frozenset(free[e])) for e in student_rows),
        size=size,
        length=minutes // 30,
        seed=seed,
    )
