"""`manage.py allocate`: a spreadsheet dry run that needs no database."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
TOPICS = "topic_code,capacity\nA,1\nB,2\nC,1\n"
RANKINGS = (
    "tutor_email,rank,topic_code\n"
    "a@x.test,1,A\na@x.test,2,B\n"
    "b@x.test,1,A\nb@x.test,2,C\n"
    "c@x.test,1,A\n"
)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "topics.csv").write_text(TOPICS)
    (tmp_path / "rankings.csv").write_text(RANKINGS)
    return tmp_path


def run(tmp_path, *extra, rankings="rankings.csv"):
    err = StringIO()
    call_command(
        "allocate",
        "--topics",
        str(tmp_path / "topics.csv"),
        "--rankings",
        str(tmp_path / rankings),
        "--max-per-tutor",
        "1",
        "--output",
        str(tmp_path / "out.csv"),
        *extra,
        stderr=err,
        stdout=StringIO(),
    )
    return (tmp_path / "out.csv").read_text(), err.getvalue()


def test_writes_one_row_per_pair_and_stats_to_stderr(files):
    out, err = run(files, "--seed", "7")
    rows = out.splitlines()
    assert rows[0] == "tutor_email,topic_code,rank"
    # Greedy maximum: all three tutors placed; the 1st choice A goes to the one left with no
    # alternative (c), the other two get their 2nd choices.
    assert sorted(rows[1:]) == ["a@x.test,B,2", "b@x.test,C,2", "c@x.test,A,1"]
    assert "Places filled: 3 of 4" in err
    assert "seed 7" in err


def test_same_seed_same_output(files):
    assert run(files, "--seed", "11")[0] == run(files, "--seed", "11")[0]


def test_objective_and_spread_options(files):
    out, err = run(files, "--objective", "generous", "--spread", "--seed", "1")
    assert "Objective: Generous (spread)" in err
    assert len(out.splitlines()) == 4


def test_without_seed_a_random_one_is_recorded(files):
    _, err = run(files)
    assert "seed " in err.splitlines()[0]


def test_bad_rows_name_file_and_line_and_write_nothing(files, capsys):
    (files / "bad.csv").write_text("tutor_email,rank,topic_code\na@x.test,x,A\nb@x.test,1,Z\n")
    err = StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command(
            "allocate",
            "--topics",
            str(files / "topics.csv"),
            "--rankings",
            str(files / "bad.csv"),
            "--max-per-tutor",
            "1",
            "--output",
            str(files / "out.csv"),
            stderr=err,
        )
    assert "bad.csv:2: rank 'x' is not a whole number" in err.getvalue()
    assert "bad.csv:3: unknown topic_code 'Z'" in err.getvalue()
    assert not (files / "out.csv").exists()


def test_missing_file_is_named(files):
    with pytest.raises(CommandError, match=r"nope\.csv: cannot read"):
        run(files, rankings="nope.csv")


def test_runs_without_any_database(files):
    """A real process with an unreachable database still allocates, and exits 1 on bad input."""
    env = dict(os.environ, DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    cmd = [sys.executable, str(ROOT / "manage.py"), "allocate", "--max-per-tutor", "1"]
    ok = subprocess.run(
        [
            *cmd,
            "--topics",
            str(files / "topics.csv"),
            "--rankings",
            str(files / "rankings.csv"),
            "--output",
            "-",
            "--seed",
            "2",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("tutor_email,topic_code,rank\n")
    assert "Places filled: 3 of 4" in ok.stderr
    (files / "bad.csv").write_text("tutor_email,rank,topic_code\na@x.test,1,A\na@x.test,1,B\n")
    bad = subprocess.run(
        [
            *cmd,
            "--topics",
            str(files / "topics.csv"),
            "--rankings",
            str(files / "bad.csv"),
            "--output",
            str(files / "o.csv"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert bad.returncode != 0
    assert "bad.csv:3: a@x.test uses rank 1 twice" in bad.stderr


def test_unwritable_output_is_named_and_nothing_is_written(files):
    target = files / "no-such-folder" / "out.csv"
    with pytest.raises(CommandError, match=r"out\.csv: cannot write the file"):
        call_command(
            "allocate",
            "--topics",
            str(files / "topics.csv"),
            "--rankings",
            str(files / "rankings.csv"),
            "--max-per-tutor",
            "1",
            "--output",
            str(target),
            stderr=StringIO(),
        )
    assert not target.exists()
