"""
Progress by rows (issue 14, item 4): readers, engines and writers tell their rows a batch at a
time; the command line draws them on a terminal only, and the files it writes do not change.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from edoutcomes._commands import _run
from edoutcomes._kernel._csv import CsvColumn, write_columns, write_rows
from edoutcomes._kernel._progress import counted, counting_rows, rows_done
from edoutcomes.cli import main
from edoutcomes.formats import read_table, write_table
from edoutcomes.formats._reader import read_delimited
from edoutcomes.model import CohortColumns
from edoutcomes.synth import synthetic_cohort, synthetic_high_schools

SEARCH = ["--search-date", "2016-09-15", "--institution", "001817", "--as-of", "2022-09-15"]
STAMP = ["--timestamp", "202209150900", "--file-date", "2022-09-15"]


class FakeTerminal(io.StringIO):
    """A stderr that says it is a terminal, and keeps what is drawn on it."""

    def isatty(self) -> bool:
        return True


def _told(job: object) -> list[int]:
    seen: list[int] = []
    with counting_rows(seen.append):
        job()  # type: ignore[operator]
    return seen


class TestTheLibraryTellsRows:
    def test_nobody_listens_by_default(self) -> None:
        """Without a listener, telling rows does nothing (the library never prints)."""
        rows_done(10)
        seen: list[int] = []
        with counting_rows(seen.append):
            pass
        rows_done(10)
        assert [] == seen

    def test_reader_tells_each_block(self) -> None:
        """The CSV reader tells the records of each block it reads, and they add up."""
        data = b"a,b\n" + b"".join(b"%d,x\n" % i for i in range(5000))
        seen = _told(lambda: read_delimited(data, block_size=1 << 12))
        assert 5000 == sum(seen)
        assert len(seen) > 5

    def test_reader_tells_rejected_rows_once(self) -> None:
        """
        A rejected row deep in the file makes the reader read it again on one thread: its rows
        are told once, the rejected record among them.
        """
        body = [b"%d,x\n" % i for i in range(3000)]
        body[2500] = b"1,2,3\n"
        data = b"a,b\n" + b"".join(body)
        seen: list[int] = []
        with counting_rows(seen.append):
            raw = read_delimited(data, block_size=1 << 12)
        assert [2502] == [f.row for f in raw.findings]
        assert 3000 == sum(seen)

    def test_reader_tells_once_when_a_long_field_grows_the_block(self) -> None:
        """A field longer than the block makes the read start again: rows are not told twice."""
        data = b"a,b\n" + b"1,x\n" * 100 + b'2,"' + b"y" * 10_000 + b'"\n' + b"3,z\n" * 100
        seen = _told(lambda: read_delimited(data, block_size=1 << 12))
        assert 201 == sum(seen)

    def test_canonical_csv_and_parquet_tell_rows(self, tmp_path: Path) -> None:
        """read_table and write_table tell the rows of a CSV and of a Parquet file."""
        table = synthetic_cohort(30, seed=2).columns.enrollments
        for suffix, format in ((".csv", "csv"), (".parquet", "parquet")):
            path = tmp_path / f"e{suffix}"
            assert [table.n_rows] == _told(lambda p=path, f=format: write_table(table, p, format=f))
            assert table.n_rows == sum(_told(lambda p=path: read_table(p, "enrollments")))

    def test_writers_tell_each_batch(self) -> None:
        """The CSV writers tell each batch of rows written; a header is not a row."""
        column = CsvColumn([str(i) for i in range(25)], np.arange(25, dtype=np.int32))
        out = io.BytesIO()
        assert [10, 10, 5] == _told(lambda: write_columns(out, ["n"], [column], batch_rows=10))
        rows = [[str(i)] for i in range(7)]
        assert [3, 3, 1] == _told(
            lambda: write_rows(io.BytesIO(), rows, header=["n"], batch_rows=3)
        )
        with_header, chained = io.BytesIO(), io.BytesIO()
        write_rows(with_header, rows, header=["n"])
        write_rows(chained, [["n"], *rows])
        assert chained.getvalue() == with_header.getvalue()

    def test_counted_tells_row_by_row_readers(self) -> None:
        """A row-by-row reader (a workbook's sheet) is told every few rows and at the end."""
        assert [4, 4, 1] == _told(lambda: list(counted(iter(range(9)), every=4)))

    def test_readiness_tells_each_block_of_students(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The readiness engine, a block of students at a time, tells each block's students."""
        from edoutcomes.readiness import _engine, evaluate
        from edoutcomes.synth import synthetic_readiness

        data = synthetic_readiness(300, seed=4)
        monkeypatch.setattr(_engine, "_BLOCK_MARKS", 1 << 10)
        seen = _told(lambda: evaluate(data, dt.date(2025, 7, 15)))
        assert 300 == sum(seen)
        assert len(seen) > 2


# --------------------------------------------------------------------------------------------
# The command line: bars on a terminal only, by rows, and the same files either way
# --------------------------------------------------------------------------------------------


@pytest.fixture
def quick_bars(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bars drawn at once and on every update, so a short test run shows them."""
    monkeypatch.setattr(_run, "BAR_DELAY", 0.0)
    monkeypatch.setattr(_run, "BAR_INTERVAL", 0.001)


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small read blocks and write batches, so a small file takes several of each."""
    monkeypatch.setitem(read_delimited.__kwdefaults__, "block_size", 1 << 12)
    monkeypatch.setitem(write_columns.__kwdefaults__, "batch_rows", 500)
    monkeypatch.setitem(write_rows.__kwdefaults__, "batch_rows", 500)


@pytest.fixture(scope="module")
def cohort_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cohort")
    synthetic_cohort(400, seed=5).write(folder)
    return folder


def _cohort_query(folder: Path, out: Path) -> list[str]:
    return [
        "cohort-query",
        "--students",
        str(folder / "students.csv"),
        "--enrollments",
        str(folder / "enrollments.csv"),
        "--degrees",
        str(folder / "degrees.csv"),
        *SEARCH,
        *STAMP,
        "--out",
        str(out),
    ]


_SCALE = {"": 1, "k": 1_000, "M": 1_000_000}


def _counts(drawn: str, what: str) -> list[float]:
    """The row counts a bar labelled *what* showed, in the order drawn (``1.23k`` read back)."""
    pattern = (
        re.escape(what) + r":\s+(?:\d+%\|[^|]*\|\s*)?([\d.]+)([kM]?)(?:/[\d.]+[kM]?)?(?: rows| \[)"
    )
    return [float(n) * _SCALE[s] for n, s in re.findall(pattern, drawn)]


def _frames(drawn: str) -> Iterator[str]:
    return (frame for frame in drawn.split("\r") if frame.strip())


@pytest.mark.usefixtures("quick_bars", "small_batches")
class TestBarsOnATerminal:
    def test_bars_advance_by_rows(
        self, cohort_files: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """
        On a terminal, reading, querying and writing each get a bar; the reading and writing
        bars advance by rows, a block or a batch at a time, up to the rows of the file.
        """
        terminal = FakeTerminal()
        monkeypatch.setattr("sys.stderr", terminal)
        assert 0 == main(_cohort_query(cohort_files, tmp_path / "o"))
        drawn = terminal.getvalue()
        n_enrollments = read_table(cohort_files / "enrollments.csv", "enrollments").table.n_rows
        read = _counts(drawn, "reading enrollments.csv")
        assert pytest.approx(n_enrollments, rel=5e-3) == read[-1]  # drawn as 3.67k
        assert len(set(read)) > 3, read  # several blocks, not one jump
        assert read == sorted(read)
        written = _counts(drawn, "writing the reports")
        assert len(set(written)) > 2, written
        assert written == sorted(written)
        assert any(frame.startswith("querying") for frame in _frames(drawn))

    def test_bars_leave_the_files_unchanged(
        self, cohort_files: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The files written with bars drawn are byte for byte those written without."""
        monkeypatch.setattr("sys.stderr", FakeTerminal())
        assert 0 == main(_cohort_query(cohort_files, tmp_path / "tty"))
        monkeypatch.setattr("sys.stderr", io.StringIO())
        assert 0 == main(_cohort_query(cohort_files, tmp_path / "pipe"))
        written = sorted(p.name for p in (tmp_path / "tty").iterdir())
        assert 3 == len(written)
        for name in written:
            assert (tmp_path / "pipe" / name).read_bytes() == (tmp_path / "tty" / name).read_bytes()

    def test_hs_report_bars_by_file(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """hs-report draws a bar per file written, by rows, up to the report's rows."""
        hs = synthetic_high_schools(150, class_years=(2018, 2019), n_high_schools=2, seed=2)
        paths = {p.stem: p for p in hs.write(tmp_path / "in")}
        terminal = FakeTerminal()
        monkeypatch.setattr("sys.stderr", terminal)
        args = ["hs-report", "--as-of", hs.as_of.isoformat(), "--out", str(tmp_path / "o")]
        for name in ("students", "enrollments", "degrees"):
            args += [f"--{name}", str(paths[name])]
        assert 0 == main(args)
        drawn = terminal.getvalue()
        assert pytest.approx(hs.n_students, rel=5e-3) == _counts(drawn, "writing arr.csv")[-1]
        assert "writing trends.html" in drawn
        assert 0 < len(_counts(drawn, "reading students.csv"))


@pytest.mark.usefixtures("quick_bars")
class TestSilentOffATerminal:
    @pytest.mark.parametrize(
        "command",
        [
            ["ontrack", "--synthetic", "80", "--year", "2023-24", "--as-of", "2024-06-20"],
            ["readiness", "--synthetic", "80", "--as-of", "2025-07-15"],
        ],
    )
    def test_no_bar_when_stderr_is_not_a_terminal(
        self,
        command: list[str],
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """Even with bars drawn at once, nothing is drawn when stderr is a pipe or a file."""
        assert 0 == main([*command, "--out", str(tmp_path / "o")])
        captured = capsys.readouterr()
        for stream in (captured.err, captured.out):
            assert "\r" not in stream
            assert "rows/s" not in stream
            assert "students/s" not in stream

    def test_cohort_query_silent_off_a_terminal(
        self, cohort_files: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """cohort-query with bars drawn at once: stderr is not a terminal, so nothing is drawn."""
        assert 0 == main(_cohort_query(cohort_files, tmp_path / "o"))
        captured = capsys.readouterr()
        assert "\r" not in captured.err + captured.out
        assert "rows/s" not in captured.err + captured.out


class TestRunSummary:
    """Every command ends with rows per file, students found, files written with sizes, time."""

    @staticmethod
    def _ends_well(printed: str, *reads: str) -> None:
        for name in reads:
            assert re.search(
                rf"read \S*{re.escape(name)}: (\d+) rows, \1 accepted, 0 rejected", printed
            ), name
        assert re.search(r"wrote \S+ \((\d+ bytes|[\d.]+ [KMG]B)\)", printed)
        assert re.search(r"done in \d+\.\d s", printed)

    def test_hs_report(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """hs-report says how many students have a record found, as arr.csv does."""
        hs = synthetic_high_schools(40, class_years=(2018, 2019), n_high_schools=2, seed=3)
        paths = {p.stem: p for p in hs.write(tmp_path / "in")}
        args = ["hs-report", "--as-of", hs.as_of.isoformat(), "--out", str(tmp_path / "o")]
        for name in ("students", "enrollments", "degrees"):
            args += [f"--{name}", str(paths[name])]
        assert 0 == main(args)
        printed = capsys.readouterr().out
        self._ends_well(printed, "students.csv", "enrollments.csv", "degrees.csv")
        found = re.search(
            r"(\d+) students, .*; (\d+) found in the records \(record_found Y in arr.csv\)", printed
        )
        assert found is not None
        with (tmp_path / "o" / "arr.csv").open(newline="", encoding="utf-8") as f:
            flags = [row["record_found"] for row in csv.DictReader(f)]
        assert (len(flags), flags.count("Y")) == (int(found[1]), int(found[2]))

    def test_ontrack_from_files(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """ontrack --data lists the rows read of every K-12 file it reads."""
        from edoutcomes.synth import synthetic_k12

        synthetic_k12(60, seed=1, year="2023-24").write(tmp_path / "in")
        read = sorted(p.name for p in (tmp_path / "in").iterdir())
        dates = ["--year", "2023-24", "--as-of", "2024-06-20"]
        assert 0 == main(
            ["ontrack", "--data", str(tmp_path / "in"), *dates, "--out", str(tmp_path / "o")]
        )
        printed = capsys.readouterr().out
        self._ends_well(printed, "k12_students.csv", "transcript_marks.csv")
        assert re.search(r"\d+ of 60 students reported", printed)
        assert len(read) >= len(re.findall(r"^read ", printed, re.MULTILINE)) > 2

    def test_readiness_from_files(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """readiness --data lists the rows read per file and the students evaluated."""
        from edoutcomes.synth import synthetic_readiness

        synthetic_readiness(60, seed=1).write(tmp_path / "in")
        args = [
            "--data",
            str(tmp_path / "in"),
            "--as-of",
            "2025-07-15",
            "--out",
            str(tmp_path / "o"),
        ]
        assert 0 == main(["readiness", *args])
        printed = capsys.readouterr().out
        self._ends_well(printed, "k12_students.csv", "transcript_marks.csv")
        assert "60 students evaluated" in printed

    def test_request(
        self, cohort_files: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """request lists the students file's rows and the students in the request file."""
        school = ["--inquiry", "SE", "--school-code", "001817", "--school-name", "Riverbend"]
        dates = ["--search-date", "2016-09-15", "--as-of", "2022-09-15"]
        students = ["--students", str(cohort_files / "students.csv")]
        code = main(["request", *students, *school, *dates, "--out", str(tmp_path / "r.txt")])
        assert 0 == code
        printed = capsys.readouterr().out
        self._ends_well(printed, "students.csv")
        assert "400 students in the request file" in printed

    def test_findings_file_among_the_files_written(
        self, cohort_files: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A --findings file is a file written: the summary lists it with its size."""
        findings = tmp_path / "findings.csv"
        args = [*_cohort_query(cohort_files, tmp_path / "o"), "--findings", str(findings)]
        assert 0 == main(args)
        printed = capsys.readouterr().out
        size = findings.stat().st_size
        assert size > 0
        assert re.search(rf"wrote {re.escape(str(findings))} \(", printed)
        self._ends_well(printed, "students.csv", "enrollments.csv", "degrees.csv")
        assert 4 == len(re.findall(r"^wrote ", printed, re.MULTILINE))


@pytest.mark.usefixtures("quick_bars", "small_batches")
def test_hs_report_files_on_a_terminal_are_the_librarys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """
    hs-report's eight files, written with bars drawn, are byte for byte what the library
    writes: the reports, top colleges, the ARR and the trends page (suppressed by default).
    """
    from edoutcomes.formats import write
    from edoutcomes.highschool import high_school_outcomes

    hs = synthetic_high_schools(80, class_years=(2018, 2019), n_high_schools=2, seed=6)
    paths = {p.stem: p for p in hs.write(tmp_path / "in")}
    monkeypatch.setattr("sys.stderr", FakeTerminal())
    args = ["hs-report", "--as-of", hs.as_of.isoformat(), "--out", str(tmp_path / "cli")]
    for name in ("students", "enrollments", "degrees"):
        args += [f"--{name}", str(paths[name])]
    assert 0 == main(args)
    students = read_table(paths["students"], "students").table
    enrollments = read_table(paths["enrollments"], "enrollments").table
    degrees = read_table(paths["degrees"], "degrees").table
    outcomes = high_school_outcomes(
        CohortColumns.from_tables(students, enrollments, degrees), as_of=hs.as_of
    )
    library = tmp_path / "library"
    outcomes.reports().write(library)
    write(outcomes.top_colleges_report(), library / "top_colleges.csv", "csv")
    write(outcomes.arr(), library / "arr.csv", "csv")
    outcomes.trends().write(library / "trends.html")
    names = sorted(p.name for p in (tmp_path / "cli").iterdir())
    assert sorted(p.name for p in library.iterdir()) == names
    for name in names:
        assert (library / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name
