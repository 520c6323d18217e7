"""``edoutcomes hs-report``: canonical tables in, the six report files out."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from edoutcomes.cli import main
from edoutcomes.formats import write_cohort
from edoutcomes.highschool import arr_columns, high_school_outcomes
from edoutcomes.synth import synthetic_high_schools


def test_hs_report_writes_every_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """
    The command writes kpis, enrollment, persistence, completers, arr and the trends page, and
    the KPI file equals the library's report.
    """
    hs = synthetic_high_schools(60, class_years=(2018, 2019), n_high_schools=2, seed=9)
    paths = write_cohort(hs.columns, tmp_path / "in")
    by_name = {p.stem: p for p in paths}
    out = tmp_path / "out"
    code = main(
        [
            "hs-report",
            "--students",
            str(by_name["students"]),
            "--enrollments",
            str(by_name["enrollments"]),
            "--degrees",
            str(by_name["degrees"]),
            "--as-of",
            hs.as_of.isoformat(),
            "--out",
            str(out),
            "--suppress-below",
            "3",
        ]
    )
    assert 0 == code
    names = {
        "kpis.csv",
        "enrollment.csv",
        "persistence.csv",
        "completers.csv",
        "arr.csv",
        "trends.html",
    }
    assert names == {p.name for p in out.iterdir()}
    with (out / "arr.csv").open(newline="") as f:
        header = next(csv.reader(f))
    assert arr_columns() == tuple(header[: len(arr_columns())])
    outcomes = high_school_outcomes(hs.columns, as_of=hs.as_of)
    with (out / "kpis.csv").open(newline="") as f:
        rows = list(csv.reader(f))
    from edoutcomes.formats.csv import format_value

    expected = [list(outcomes.kpis(suppress_below=3).columns)] + [
        [format_value(v) for v in row] for row in outcomes.kpis(suppress_below=3).rows()
    ]
    assert expected == rows
    printed = capsys.readouterr().out
    assert "wrote" in printed
    # Counts only: no name and no id of any student is printed.
    for name in ("last_name", "requester_id"):
        assert not any(str(v) in printed for v in hs.columns.students.categories[name].tolist())


def test_hs_report_needs_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """
    Without students or a detail file the command exits 2 with one line.
    """
    code = main(["hs-report", "--as-of", dt.date(2024, 1, 1).isoformat(), "--out", str(tmp_path)])
    assert 2 == code
    assert 1 == len(capsys.readouterr().err.strip().splitlines())
