"""The ``edoutcomes readiness`` command: synthetic or canonical CSV input, every output file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from edoutcomes.cli import main
from edoutcomes.readiness import READINESS_COLUMNS


def run(*args: str) -> int:
    return main(["readiness", *args])


def test_synthetic_then_canonical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A synthetic run writes its inputs; reading them back gives the same outputs."""
    first, second = tmp_path / "a", tmp_path / "b"
    release = ("--recipient", "CSAC", "--purpose", "financial_aid")
    assert 0 == run(
        "--synthetic", "300", "--seed", "3", "--as-of", "2025-07-15", "--out", str(first), *release
    )
    assert 0 == run(
        "--data", str(first / "input"), "--as-of", "2025-07-15", "--out", str(second), *release
    )
    names = (
        "readiness.csv",
        "readiness_indicators.csv",
        "calgrant_gpa.csv",
        "readiness_release_CSAC_financial_aid.csv",
        "readiness_release_CSAC_financial_aid_control.csv",
        "readiness_release_CSAC_financial_aid_indicators.csv",
    )
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    with open(second / "readiness.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert (list(READINESS_COLUMNS), 300) == (list(rows[0]), len(rows))
    with open(second / "readiness_findings.csv", newline="") as f:
        findings = list(csv.DictReader(f))
    assert findings
    assert all(int(r["row"]) >= 2 for r in findings)
    out = capsys.readouterr().out
    assert "released" in out
    assert "C000" not in out  # counts only: never an id


def test_recipient_needs_a_purpose(tmp_path: Path) -> None:
    assert 2 == run(
        "--synthetic", "10", "--as-of", "2025-07-15", "--out", str(tmp_path), "--recipient", "CSAC"
    )


def test_bad_input_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "k12_students.csv").write_text("student_id\nS1\n")
    (tmp_path / "transcript_marks.csv").write_text(
        "student_id,school_id,course_id,school_year,term_kind,mark_date,grade_level,letter_grade\n"
        "S1,X,ENG9,2021-22,year,2022-06-10,14,A\n"
    )
    # Exit 1: findings in the input stopped the work (2 is for usage errors, issue 14).
    assert 1 == run("--data", str(tmp_path), "--as-of", "2025-07-15", "--out", str(tmp_path / "o"))
    assert 0 == run(
        "--data", str(tmp_path), "--as-of", "2025-07-15", "--out", str(tmp_path / "o"), "--lenient"
    )
    captured = capsys.readouterr()
    assert "grade_level" in captured.err
    assert "1 input findings" in captured.out
