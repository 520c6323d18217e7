"""The ``edoutcomes ontrack`` command: synthetic or canonical CSV input, extract and explanations out."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from edoutcomes.cli import main
from edoutcomes.ontrack import DEFAULT_LAYOUT


def run(*args: str) -> int:
    """Run the command line."""
    return main(["ontrack", *args])


def test_synthetic_then_canonical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A synthetic run writes its input tables; reading them back gives the same files."""
    first, second = tmp_path / "a", tmp_path / "b"
    common = ("--year", "2023-24", "--as-of", "2024-06-20")
    assert 0 == run("--synthetic", "300", "--seed", "5", *common, "--out", str(first))
    assert 0 == run("--data", str(first / "input"), *common, "--out", str(second))
    for name in ("oregon-ontrack.csv", "oregon-ontrack-explanations.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    with open(second / "oregon-ontrack.csv", newline="") as f:
        header = next(csv.reader(f))
    with open(second / "oregon-ontrack-explanations.csv", newline="") as f:
        explanations = list(csv.DictReader(f))
    assert (list(DEFAULT_LAYOUT.names), 300) == (header, len(explanations))
    out = capsys.readouterr().out
    assert "students reported" in out
    assert "D000" not in out  # counts only: never an id


@pytest.mark.parametrize(
    ("format", "suffix"), [("fixed", ".txt"), ("xml", ".xml"), ("html", ".html")]
)
def test_formats(tmp_path: Path, format: str, suffix: str) -> None:
    """--format picks the extract's writer."""
    assert 0 == run(
        "--synthetic",
        "100",
        "--year",
        "2023-24",
        "--as-of",
        "2024-06-20",
        "--format",
        format,
        "--out",
        str(tmp_path),
    )
    assert (tmp_path / f"oregon-ontrack{suffix}").stat().st_size > 0


def test_record_based_with_options(tmp_path: Path) -> None:
    """Every option of the rules is on the command line."""
    assert 0 == run(
        "--synthetic",
        "100",
        "--year",
        "2023-24",
        "--as-of",
        "2024-06-20",
        "--rule",
        "record-based",
        "--snapshot-date",
        "2024-05-01",
        "--credit-window",
        "12-months",
        "--required-credits",
        "26",
        "--no-transfer-credit",
        "--no-credit-recovery",
        "--no-pre-grade9-credit",
        "--out",
        str(tmp_path),
    )


def test_missing_students_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without a students file the command fails with exit code 2 and one line."""
    assert 2 == run("--data", str(tmp_path), "--year", "2023-24", "--out", str(tmp_path / "o"))
    assert 1 == len(capsys.readouterr().err.strip().splitlines())


def test_bad_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A year that is not a school year is a user error."""
    assert 2 == run("--synthetic", "10", "--year", "2023-25", "--out", str(tmp_path))


def test_record_based_data_with_full_ssn(tmp_path: Path) -> None:
    """
    --data, record-based: a student without a grade-9 date and a full SSN in ssn_last4.

    The command validates its own output (exit 0), and the extract has the SSN's last four digits.
    """
    from ontrack_helpers import enrollment, student

    from edoutcomes.formats.canonical import write_table
    from edoutcomes.model import OnTrackRecord, OnTrackStatus, k12_table

    data = tmp_path / "data"
    data.mkdir()
    k12_student = student(grade9_entry_date=None, ssn_last4="6789")
    write_table(k12_table([k12_student]), data / "k12_students.csv")
    students = data / "k12_students.csv"
    students.write_text(students.read_text().replace(",6789,", ",123-45-6789,"))
    write_table(k12_table([enrollment()]), data / "school_enrollments.csv")
    record = OnTrackRecord("S1", dt.date(2023, 9, 5), "2023-24", OnTrackStatus.ON_TRACK)
    write_table(k12_table([record]), data / "ontrack_records.csv")
    common = ("--year", "2023-24", "--as-of", "2024-06-20", "--rule", "record-based")
    assert 0 == run("--data", str(data), *common, "--truncate", "--out", str(tmp_path / "out"))
    with open(tmp_path / "out" / "oregon-ontrack.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [("6789", "2324")] == [(r["SSN"], r["HSEntrySchlYr"]) for r in rows]
