"""Dry-run the topic allocation on spreadsheets, with no database (for audits and what-ifs).

    manage.py allocate --topics topics.csv --rankings rankings.csv --max-per-tutor 1 \
        [--objective greedy|generous|minsum] [--spread] [--fill-unranked] [--seed S] \
        --output allocation.csv

The statistics go to stderr; bad input exits non-zero naming every bad file and line.
"""

from __future__ import annotations

import random
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tutors.allocation.csv import (
    AllocationInputError,
    format_statistics,
    load_inputs,
    write_allocation,
)
from tutors.allocation.engine import OBJECTIVES, AllocationError, allocate


class Command(BaseCommand):
    help = "Allocate topics to tutors from CSV files (no database needed)."
    requires_system_checks: list = []  # a dry run must work without a configured database

    def add_arguments(self, parser):
        parser.add_argument("--topics", required=True, help="CSV with header topic_code,capacity")
        parser.add_argument(
            "--rankings", required=True, help="CSV with header tutor_email,rank,topic_code"
        )
        parser.add_argument(
            "--max-per-tutor", type=int, required=True, help="Topics a tutor may be given (k)"
        )
        parser.add_argument("--objective", choices=sorted(OBJECTIVES), default="greedy")
        parser.add_argument("--spread", action="store_true", help="Everyone's 1st topic first")
        parser.add_argument(
            "--fill-unranked", action="store_true", help="Fill empty places with unranked pairs"
        )
        parser.add_argument(
            "--seed", type=int, default=None, help="Tie-break seed (default: random, printed)"
        )
        parser.add_argument(
            "--output", required=True, help="Output CSV tutor_email,topic_code,rank ('-': stdout)"
        )

    def handle(self, *args, **o):
        if o["max_per_tutor"] < 1:
            raise CommandError("--max-per-tutor must be at least 1")
        for name in ("topics", "rankings"):
            path = Path(o[name])
            try:
                path.read_bytes().decode("utf-8-sig")
            except OSError as exc:
                raise CommandError(f"{path}: cannot read the file ({exc.strerror})") from exc
            except UnicodeDecodeError as exc:
                raise CommandError(f"{path}: not UTF-8 text ({exc.reason})") from exc
        seed = o["seed"] if o["seed"] is not None else random.SystemRandom().randrange(2**31)
        try:
            inputs, warnings = load_inputs(
                o["topics"],
                o["rankings"],
                max_topics=o["max_per_tutor"],
                objective=o["objective"],
                spread=o["spread"],
                fill_unranked=o["fill_unranked"],
                seed=seed,
            )
            result = allocate(inputs)
        except AllocationInputError as exc:
            for problem in exc.errors:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(exc.errors)} problem(s) in the input; nothing written."
            ) from exc
        except AllocationError as exc:
            raise CommandError(str(exc)) from exc
        for warning in warnings:
            self.stderr.write(f"Warning: {warning}")
        if o["output"] == "-":
            write_allocation(result, self.stdout)
        else:
            try:
                with open(o["output"], "w", encoding="utf-8", newline="") as fh:
                    write_allocation(result, fh)
            except OSError as exc:
                problem = f"{o['output']}: cannot write the file ({exc.strerror})"
                raise CommandError(problem) from exc
        self.stderr.write(format_statistics(result))
