"""manage.py form_groups: the spreadsheet formats, every bad-line kind, nothing written on error."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

AVAIL = """email,day,start,end
tutor@uni.ac.uk,Tue,18:00,21:00
tutor@uni.ac.uk,tuesday,19:00,20:00
a@uni.ac.uk,TUE,18:00,19:00
b@uni.ac.uk,Tue,18:00,20:00
c@uni.ac.uk,Sunday,10:00,12:00
"""


def write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def run(
    tmp: Path,
    avail=AVAIL,
    tutors="email,groups\ntutor@uni.ac.uk,1\n",
    students="email\na@uni.ac.uk\nb@uni.ac.uk\nc@uni.ac.uk\n",
    **extra,
):
    args = {
        "availability": str(write(tmp, "A.csv", avail)),
        "tutors": str(write(tmp, "T.csv", tutors)),
        "students": str(write(tmp, "S.csv", students)),
        "size": 6,
        "minutes": 60,
        "output": str(tmp / "OUT.csv"),
    }
    args.update(extra)
    from io import StringIO

    out = StringIO()
    call_command("form_groups", stdout=out, **args)
    return out.getvalue()


def test_groups_are_written_one_row_per_placed_student_and_summarised(tmp_path):
    summary = run(tmp_path)
    rows = list(csv.reader((tmp_path / "OUT.csv").open()))
    assert rows[0] == ["tutor_email", "day", "start", "end", "student_email"]
    assert sorted(rows[1:]) == [
        ["tutor@uni.ac.uk", "Tue", "18:00", "19:00", "a@uni.ac.uk"],
        ["tutor@uni.ac.uk", "Tue", "18:00", "19:00", "b@uni.ac.uk"],
    ]
    assert "Placed 2 of 3 students in 1 groups (proven optimal)" in summary
    assert "c@uni.ac.uk: no tutor is free" in summary


def test_tutors_groups_column_is_optional(tmp_path):
    run(tmp_path, tutors="email\ntutor@uni.ac.uk\n")
    assert len(list(csv.reader((tmp_path / "OUT.csv").open()))) == 3


BAD = [
    (
        "A.csv:2: unknown day 'Funday'",
        {"avail": AVAIL.replace("Tue,18:00,21:00", "Funday,18:00,21:00")},
    ),
    (
        "A.csv:4: time '18:15' is not on the 30-minute grid",
        {"avail": AVAIL.replace("TUE,18:00", "TUE,18:15")},
    ),
    (
        "A.csv:5: window ends (17:00) before it starts (18:00)",
        {"avail": AVAIL.replace("Tue,18:00,20:00", "Tue,18:00,17:00")},
    ),
    ("A.csv:1: missing column end", {"avail": "email,day,start\nx@uni.ac.uk,Mon,18:00\n"}),
    ("T.csv:2: unknown email 'nobody@uni.ac.uk'", {"tutors": "email\nnobody@uni.ac.uk\n"}),
    (
        "S.csv:3: unknown email 'ghost@uni.ac.uk'",
        {"students": "email\na@uni.ac.uk\nghost@uni.ac.uk\n"},
    ),
    ("S.csv:1: missing column email", {"students": "name\nA\n"}),
    (
        "T.csv:2: groups 'two' is not a whole number",
        {"tutors": "email,groups\ntutor@uni.ac.uk,two\n"},
    ),
    (
        "A.csv:2: time '25:00' is not a time of day",
        {"avail": AVAIL.replace("Tue,18:00,21:00", "Tue,25:00,26:00")},
    ),
]


@pytest.mark.parametrize(("message", "files"), BAD, ids=[m.split(": ", 1)[1][:30] for m, _ in BAD])
def test_bad_input_names_file_and_line_and_writes_nothing(tmp_path, message, files):
    with pytest.raises(CommandError) as err:
        run(tmp_path, **files)
    file, line, problem = message.split(":", 2)
    assert f"{tmp_path / file}:{line}:{problem}" in str(err.value)
    assert not (tmp_path / "OUT.csv").exists()


def test_every_bad_line_is_reported_at_once(tmp_path):
    avail = AVAIL + "a@uni.ac.uk,Xday,18:00,19:00\nb@uni.ac.uk,Mon,18:10,19:00\n"
    with pytest.raises(CommandError) as err:
        run(tmp_path, avail=avail, students="email\nzed@uni.ac.uk\n")
    text = str(err.value)
    assert f"{tmp_path / 'A.csv'}:7:" in text and f"{tmp_path / 'A.csv'}:8:" in text
    assert f"{tmp_path / 'S.csv'}:2:" in text
    assert not (tmp_path / "OUT.csv").exists()


def test_existing_output_is_left_alone_on_error(tmp_path):
    (tmp_path / "OUT.csv").write_text("keep me")
    with pytest.raises(CommandError):
        run(tmp_path, tutors="email\nnobody@uni.ac.uk\n")
    assert (tmp_path / "OUT.csv").read_text() == "keep me"


def test_bad_size_or_minutes_are_refused(tmp_path):
    with pytest.raises(CommandError, match="multiple of 30"):
        run(tmp_path, minutes=45)
    with pytest.raises(CommandError, match="at least one student"):
        run(tmp_path, size=0)
