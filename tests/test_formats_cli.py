"""The command line end to end (in a subprocess), and canonical tables reading back unchanged."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import strategies as s
from hypothesis import HealthCheck, given, settings

from edoutcomes.cohort import cohort_query
from edoutcomes.formats import (
    compare,
    read_aggregate,
    read_cohort,
    read_detail,
    read_table,
    write_table,
)
from edoutcomes.model import CollegeCode, CollegeType, EnrollmentRecord, Institution, Table
from edoutcomes.synth import synthetic_cohort


def edoutcomes(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the command line in a fresh interpreter."""
    env = {**os.environ, "PYTHONWARNINGS": "error::DeprecationWarning:edoutcomes"}
    return subprocess.run(
        [sys.executable, "-m", "edoutcomes.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Synthetic canonical tables on disk."""
    folder = tmp_path_factory.mktemp("canonical")
    synthetic_cohort(250, seed=21).write(folder)
    return folder


class TestCohortQuery:
    def test_end_to_end(self, tables: Path, tmp_path: Path) -> None:
        """The aggregate file the command writes equals the Python API's result, cell for cell."""
        run = edoutcomes(
            "cohort-query",
            "--students",
            str(tables / "students.csv"),
            "--enrollments",
            str(tables / "enrollments.csv"),
            "--degrees",
            str(tables / "degrees.csv"),
            "--search-date",
            "2016-09-15",
            "--institution",
            "001817",
            "--institution-name",
            "Riverbend State University",
            "--as-of",
            "2022-09-15",
            "--user",
            "ir",
            "--file-date",
            "2022-09-01",
            "--out",
            str(tmp_path / "out"),
            cwd=tmp_path,
        )
        assert 0 == run.returncode, run.stderr
        written = sorted(p.name for p in (tmp_path / "out").iterdir())
        assert 3 == len(written)
        assert all(
            name.startswith("ir_T1")
            and name.endswith("_CO.htm" if name.endswith("htm") else "_CO.csv")
            for name in written
        )
        aggregate = next((tmp_path / "out").glob("ir_T1cohortrpt.*_CO.csv"))
        assert str(aggregate) in run.stdout
        read = read_cohort(
            tables / "students.csv", tables / "enrollments.csv", tables / "degrees.csv"
        )
        expected = cohort_query(
            read.columns,
            search_date=dt.date(2016, 9, 15),
            institution=Institution("001817", name="Riverbend State University"),
            as_of=dt.date(2022, 9, 15),
        )
        back = read_aggregate(aggregate)
        assert [] == compare(expected, back)
        assert expected.control.found == back.found
        control = next((tmp_path / "out").glob("ir_T1cntlrpt.*_CO.htm")).read_text()
        assert "YOUR FILE CREATION DATE: 09/01/2022" in control
        detail = read_detail(next((tmp_path / "out").glob("ir_T1.*_CO.csv")))
        assert expected.control.total == detail.columns.n_students

    def test_read_detail_back(self, tables: Path, tmp_path: Path) -> None:
        """read-detail turns the written detail report into canonical tables."""
        out = tmp_path / "out"
        edoutcomes(
            "cohort-query",
            "--students",
            str(tables / "students.csv"),
            "--enrollments",
            str(tables / "enrollments.csv"),
            "--search-date",
            "2016-09-15",
            "--institution",
            "001817",
            "--as-of",
            "2022-09-15",
            "--out",
            str(out),
            cwd=tmp_path,
        )
        detail = next(out.glob("edoutcomes_T1.*_CO.csv"))
        run = edoutcomes("read-detail", str(detail), "--out", str(tmp_path / "canon"), cwd=tmp_path)
        assert 0 == run.returncode, run.stderr
        assert ["degrees.csv", "enrollments.csv", "students.csv"] == sorted(
            p.name for p in (tmp_path / "canon").iterdir()
        )
        assert 250 == read_table(tmp_path / "canon" / "students.csv", "students").table.n_rows

    def test_request(self, tables: Path, tmp_path: Path) -> None:
        """request writes a checked CO file from the students table."""
        run = edoutcomes(
            "request",
            "--students",
            str(tables / "students.csv"),
            "--inquiry",
            "CO",
            "--school-code",
            "001817",
            "--school-name",
            "Riverbend State University",
            "--search-date",
            "2016-09-15",
            "--file-date",
            "2022-09-01",
            "--out",
            str(tmp_path / "req.txt"),
            cwd=tmp_path,
        )
        assert 0 == run.returncode, run.stderr
        lines = (tmp_path / "req.txt").read_text().splitlines()
        assert lines[0].startswith("H1\t001817\t00\tRIVERBEND STATE UNIVERSITY\t20220901\tCO\tI")
        assert ["T1", "252"] == lines[-1].split("\t")

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (
                [
                    "cohort-query",
                    "--students",
                    "missing.csv",
                    "--search-date",
                    "2016-09-15",
                    "--institution",
                    "001817",
                    "--out",
                    "o",
                ],
                "No such file",
            ),
            (
                [
                    "cohort-query",
                    "--students",
                    "s.csv",
                    "--search-date",
                    "2016-13-01",
                    "--institution",
                    "001817",
                    "--out",
                    "o",
                ],
                "is not a date",
            ),
            (
                [
                    "cohort-query",
                    "--students",
                    "s.csv",
                    "--search-date",
                    "2016-09-15",
                    "--institution",
                    "1817",
                    "--out",
                    "o",
                ],
                "is not an institution code",
            ),
            (
                ["request", "--students", "s.csv", "--out", "r.txt"],
                "--inquiry, --school-code, --school-name, --search-date are required",
            ),
            (["read-detail", "nothing.csv", "--out", "o"], "No such file"),
        ],
    )
    def test_user_errors(self, tmp_path: Path, args: list[str], message: str) -> None:
        """A user error exits 2 with a message and no traceback."""
        run = edoutcomes(*args, cwd=tmp_path)
        assert 2 == run.returncode
        assert message in run.stderr
        assert "Traceback" not in run.stderr

    @pytest.mark.parametrize("command", ["cohort-query", "request", "read-detail"])
    def test_help(self, command: str, tmp_path: Path) -> None:
        """Every command has --help."""
        run = edoutcomes(command, "--help", cwd=tmp_path)
        assert 0 == run.returncode
        assert "usage: edoutcomes " + command in run.stdout


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(s.tables("students") | s.tables("enrollments") | s.tables("degrees"))
def test_canonical_tables_read_back_unchanged(table: Table) -> None:
    """Any canonical table the library writes, it reads back unchanged."""
    out = io.BytesIO()
    write_table(table, out)
    back = read_table(io.BytesIO(out.getvalue()), table.name).table
    assert table.equals(back)


def test_record_flag_attribute_reads_back() -> None:
    """A Y/N attribute on an enrollment record reads back as a boolean, as it was written."""
    record = EnrollmentRecord(
        "a",
        CollegeCode("000000"),
        CollegeType.FOUR_YEAR,
        dt.date(2000, 1, 1),
        dt.date(2000, 1, 1),
        attributes=(("x_pell", False),),
    )
    table = Table.from_records("enrollments", [record])
    out = io.BytesIO()
    write_table(table, out)
    assert table.equals(read_table(io.BytesIO(out.getvalue()), "enrollments").table)
