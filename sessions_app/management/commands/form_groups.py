"""Form small groups and their weekly times from spreadsheets, with the same exact engine.

    manage.py form_groups --availability A.csv --tutors T.csv --students S.csv \
        --size 6 --minutes 60 [--seed N] --output OUT.csv

Bad input exits non-zero with `FILE:LINE: problem` for every bad line and writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meded.exports import csv_text
from sessions_app.smallgroups.engine import EngineError, cell_label, form_groups
from sessions_app.smallgroups.engine.grid import CELLS_PER_DAY, time_label
from sessions_app.smallgroups.spreadsheets import SpreadsheetError, read_spreadsheets

HEADER = ("tutor_email", "day", "start", "end", "student_email")


class Command(BaseCommand):
    help = "Form small groups with weekly meeting times from availability spreadsheets."
    requires_system_checks: list = []  # works without a configured database

    def add_arguments(self, parser):
        parser.add_argument("--availability", required=True, help="CSV email,day,start,end")
        parser.add_argument("--tutors", required=True, help="CSV email[,groups]")
        parser.add_argument("--students", required=True, help="CSV email")
        parser.add_argument("--size", type=int, default=6, help="Most students in a group")
        parser.add_argument("--minutes", type=int, default=60, help="Meeting length (x30)")
        parser.add_argument("--seed", type=int, default=0, help="Tie-break seed")
        parser.add_argument("--output", required=True, help="CSV to write (one row per student)")

    def handle(self, *args, **o):
        try:
            inputs = read_spreadsheets(
                Path(o["availability"]),
                Path(o["tutors"]),
                Path(o["students"]),
                size=o["size"],
                minutes=o["minutes"],
                seed=o["seed"],
            )
            result = form_groups(inputs)
        except (SpreadsheetError, EngineError) as exc:
            raise CommandError(str(exc)) from exc
        rows = []
        for g in result.groups:
            day, start = cell_label(g.start)
            end = time_label(g.start % CELLS_PER_DAY + inputs.length)
            rows.extend((g.tutor, day, start, end, s) for s in g.students)
        Path(o["output"]).write_text(csv_text(HEADER, rows), encoding="utf-8")
        total = len(inputs.students)
        proof = "proven optimal" if result.optimal else f"best found; at most {result.upper_bound}"
        self.stdout.write(
            f"Placed {result.placed} of {total} students in {len(result.groups)} groups ({proof})."
        )
        if result.unplaced:
            self.stdout.write(f"Not placed ({len(result.unplaced)}):")
            for u in result.unplaced:
                self.stdout.write(f"  {u.student}: {u.reason.explanation}")
        self.stdout.write(f"Wrote {o['output']}.")
