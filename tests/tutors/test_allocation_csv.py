"""Tests for the allocation dry run's CSV loading/writing (no database needed)."""

from __future__ import annotations

import io

import pytest

from tutors.allocation.csv import (
    AllocationInputError,
    InputProblem,
    allocation_csv,
    format_statistics,
    load_inputs,
    parse_rankings,
    parse_topics,
)
from tutors.allocation.engine import allocate


def lines(text: str) -> io.StringIO:
    return io.StringIO(text)


def problems_of(err: pytest.ExceptionInfo) -> list[tuple[str, int, str]]:
    return [(p.file, p.line, p.message) for p in err.value.errors]


def test_topics_ok_with_blank_lines_and_bom():
    topics = parse_topics(lines("\ufefftopic_code,capacity\n\nANAT1,2\n  \nPHYS2, 1\n"))
    assert topics == {"ANAT1": 2, "PHYS2": 1}


def test_topics_every_bad_row_reported():
    text = "topic_code,capacity\nA,1\nB,x\nC,0\nA,2\n,3\nD,1,9\nE,-4\n"
    with pytest.raises(AllocationInputError) as err:
        parse_topics(lines(text))
    got = problems_of(err)
    assert [line for _, line, _ in got] == [3, 4, 5, 6, 7, 8]
    assert all(f == "topics.csv" for f, _, _ in got)
    messages = " | ".join(m for _, _, m in got)
    assert "'x' is not a whole number" in messages
    assert "at least 1, got 0" in messages
    assert "duplicate topic_code 'A' (first on line 2)" in messages
    assert "empty topic_code" in messages
    assert "expected 2 columns, found 3" in messages
    assert "at least 1, got -4" in messages
    assert err.value.file == "topics.csv" and err.value.line == 3
    assert "topics.csv:3:" in str(err.value)


def test_topics_missing_header_still_reads_rows():
    with pytest.raises(AllocationInputError) as err:
        parse_topics(lines("A,1\nB,zero\n"))
    got = problems_of(err)
    assert got[0][1] == 1 and "missing header" in got[0][2]
    assert got[1][1] == 2 and "'zero'" in got[1][2]


def test_topics_missing_and_extra_columns():
    with pytest.raises(AllocationInputError) as err:
        parse_topics(lines("topic_code,places\nA,1\n"))
    assert "missing column(s) capacity" in problems_of(err)[0][2]
    with pytest.raises(AllocationInputError) as err:
        parse_topics(lines("topic_code,capacity,notes\nA,1,x\n"))
    assert "unexpected column(s) notes" in problems_of(err)[0][2]
    with pytest.raises(AllocationInputError) as err:
        parse_topics(lines("\n\n"))
    assert "empty file" in problems_of(err)[0][2]


def test_rankings_ok():
    text = "tutor_email,rank,topic_code\nAnn@X.ac.uk,2,B\nann@x.ac.uk,1,A\n\nbob@x.ac.uk,1,B\n"
    parsed = parse_rankings(lines(text), {"A", "B"})
    assert parsed.rankings == {"ann@x.ac.uk": ["A", "B"], "bob@x.ac.uk": ["B"]}
    assert parsed.warnings == []


def test_rankings_columns_in_any_order_and_ranks_int_accepts():
    """Columns are read by name; a rank written '+2' or in fullwidth digits is still a whole
    number and counts like any other, and a duplicate after such rows is still found."""
    text = (
        "topic_code,tutor_email,rank\n"  # 1
        "A,ann@x,1\n"  # 2
        "B,ann@x,+2\n"  # 3
        "C,ann@x,\uff13\n"  # 4 fullwidth 3
        "A,ann@x,4\n"  # 5 A twice
        "C,bob@x,1\n"  # 6
    )
    with pytest.raises(AllocationInputError) as err:
        parse_rankings(lines(text), {"A", "B", "C"})
    assert problems_of(err) == [
        ("rankings.csv", 5, "ann@x ranks 'A' twice (first on line 2)"),
    ]
    parsed = parse_rankings(lines(text.replace("A,ann@x,4\n", "")), {"A", "B", "C"})
    assert parsed.rankings == {"ann@x": ["A", "B", "C"], "bob@x": ["C"]}


def test_rankings_gaps_warn_not_fail():
    parsed = parse_rankings(lines("tutor_email,rank,topic_code\na@x,1,A\na@x,5,B\n"), {"A", "B"})
    assert parsed.rankings == {"a@x": ["A", "B"]}
    assert "ranks [1, 5]" in parsed.warnings[0]


def test_rankings_every_bad_row_reported():
    text = (
        "tutor_email,rank,topic_code\n"  # 1
        "a@x,1,A\n"  # 2 ok
        "a@x,1,B\n"  # 3 duplicate rank
        "a@x,2,A\n"  # 4 duplicate topic
        ",1,A\n"  # 5 empty email
        "b@x,first,A\n"  # 6 non-integer rank
        "b@x,2,ZZZ\n"  # 7 unknown topic
        "\n"  # 8 blank ok
        "b@x,0,B\n"  # 9 rank < 1
        "c@x,1\n"  # 10 wrong column count
    )
    with pytest.raises(AllocationInputError) as err:
        parse_rankings(lines(text), {"A", "B"})
    got = problems_of(err)
    assert [line for _, line, _ in got] == [3, 4, 5, 6, 7, 9, 10]
    assert all(f == "rankings.csv" for f, _, _ in got)
    msgs = dict((line, m) for _, line, m in got)
    assert "rank 1 twice (first on line 2)" in msgs[3]
    assert "ranks 'A' twice (first on line 2)" in msgs[4]
    assert "empty tutor_email" in msgs[5]
    assert "'first' is not a whole number" in msgs[6]
    assert "unknown topic_code 'ZZZ'" in msgs[7]
    assert "at least 1" in msgs[9]
    assert "expected 3 columns" in msgs[10]


def test_quoted_multiline_cell_line_numbers():
    text = 'tutor_email,rank,topic_code\n"a@x",1,A\n"b\n@x",x,A\n'
    with pytest.raises(AllocationInputError) as err:
        parse_rankings(lines(text), {"A"})
    assert problems_of(err)[0][1] == 4  # reported at the row's last physical line


def test_load_inputs_reports_both_files_at_once(tmp_path):
    topics = tmp_path / "topics.csv"
    rankings = tmp_path / "rankings.csv"
    topics.write_text("topic_code,capacity\nA,1\nB,none\n", encoding="utf-8")
    rankings.write_text("tutor_email,rank,topic_code\na@x,1,A\na@x,2,Q\n", encoding="utf-8")
    with pytest.raises(AllocationInputError) as err:
        load_inputs(topics, rankings)
    got = sorted(err.value.errors)
    assert got == [
        InputProblem("rankings.csv", 3, "unknown topic_code 'Q'"),
        InputProblem("topics.csv", 3, "capacity 'none' is not a whole number"),
    ]


def test_round_trip_to_output(tmp_path):
    topics = tmp_path / "topics.csv"
    rankings = tmp_path / "rankings.csv"
    topics.write_text("topic_code,capacity\nA,1\nB,1\nC,1\n", encoding="utf-8")
    rankings.write_text(
        "tutor_email,rank,topic_code\na@x,1,A\na@x,2,B\nb@x,1,A\nc@x,1,C\n", encoding="utf-8"
    )
    inputs, warnings = load_inputs(topics, rankings, max_topics=1, seed=3)
    assert warnings == []
    result = allocate(inputs)
    out = allocation_csv(result).splitlines()
    assert out[0] == "tutor_email,topic_code,rank"
    assert sorted(out[1:]) == ["a@x,B,2", "b@x,A,1", "c@x,C,1"]
    text = format_statistics(result)
    assert "Places filled: 3 of 3" in text
    assert "1st choice: 2 (66.7%)" in text
    assert "Greedy maximum" in text


def test_output_blank_rank_for_unranked_fill(tmp_path):
    topics = tmp_path / "t.csv"
    rankings = tmp_path / "r.csv"
    topics.write_text("topic_code,capacity\nA,1\nB,1\n", encoding="utf-8")
    rankings.write_text("tutor_email,rank,topic_code\na@x,1,A\nb@x,1,A\n", encoding="utf-8")
    inputs, _ = load_inputs(topics, rankings, fill_unranked=True)
    result = allocate(inputs)
    rows = allocation_csv(result).splitlines()[1:]
    assert any(r.endswith(",B,") for r in rows)
    assert "Unranked fills: 1" in format_statistics(result)
