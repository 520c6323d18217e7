"""
The command line on files as real tools write them (issue 14): intake, fail-fast errors, dates, summaries, help.

Every error case runs the command in a subprocess and checks the exit code (1: the input
stopped the work, 2: usage) and that stderr names the cause in one line, without a traceback.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from edoutcomes.cli import build_parser, main
from edoutcomes.formats import read_table
from edoutcomes.synth import synthetic_cohort, synthetic_high_schools

COHORT = ["--search-date", "2016-09-15", "--institution", "001817"]
REQUEST = ["--inquiry", "CO", "--school-code", "001817", "--school-name", "Riverbend"]
REQUEST += ["--search-date", "2016-09-15", "--file-date", "2022-09-01", "--as-of", "2022-09-15"]


def edoutcomes(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the command line in a fresh interpreter (stderr is a pipe: no progress bar)."""
    return subprocess.run(
        [sys.executable, "-m", "edoutcomes.cli", *map(str, args)],
        cwd=cwd,
        env={**os.environ, "PYTHONWARNINGS": "error::DeprecationWarning:edoutcomes"},
        capture_output=True,
        text=True,
        check=False,
    )


def one_line_error(run: subprocess.CompletedProcess[str], code: int, *says: str) -> str:
    """The run exited *code* with one stderr line saying each of *says*, and no traceback."""
    assert code == run.returncode, run.stderr + run.stdout
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert 1 == len(lines), lines
    for text in says:
        assert text in lines[0], lines[0]
    return lines[0]


def excel_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """A CSV as Excel saves it: UTF-8 with a byte-order mark, CRLF, every field quoted."""
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Synthetic canonical tables, and the students again as an export with its own headers."""
    folder = tmp_path_factory.mktemp("tables")
    synthetic_cohort(40, seed=3).write(folder)
    students = read_table(folder / "students.csv", "students").table
    ids, first, last = (
        students.text(c).tolist() for c in ("requester_id", "first_name", "last_name")
    )
    born = [d.strftime("%m/%d/%Y") for d in students.values("birth_date")]
    excel_csv(
        folder / "export.csv",
        ["Student ID", "First Name", "Last Name", "DOB", "Middle Name", "Pell?"],
        [[i, f, la, b, "", ""] for i, f, la, b in zip(ids, first, last, born, strict=True)],
    )
    excel_csv(
        folder / "upper.csv",
        ["STUDENT_NUMBER", "FIRST_NAME", "LAST_NAME", "BIRTH_DATE", "HS_GRAD_DATE"],
        [[i, f, la, b, ""] for i, f, la, b in zip(ids, first, last, born, strict=True)],
    )
    excel_csv(
        folder / "misnamed.csv",
        ["Stu ID", "First Name", "Last Name", "DOB"],
        [[i, f, la, b] for i, f, la, b in zip(ids, first, last, born, strict=True)],
    )
    (folder / "empty.csv").write_bytes(b"")
    (folder / "header_only.csv").write_bytes(b"\xef\xbb\xbfStudent ID,First Name\r\n")
    (folder / "enrollments_header.csv").write_text(
        "requester_id,college_code,college_type,begin_date,end_date\n", encoding="utf-8"
    )
    return folder


def cohort_query(
    tables: Path, out: Path, *extra: str | Path, students: str = "export.csv"
) -> subprocess.CompletedProcess[str]:
    """cohort-query on the fixture's records with the students file *students*."""
    return edoutcomes(
        "cohort-query",
        "--students",
        tables / students,
        "--enrollments",
        tables / "enrollments.csv",
        "--degrees",
        tables / "degrees.csv",
        *COHORT,
        "--out",
        out,
        *extra,
        cwd=out.parent,
    )


class TestIntake:
    def test_request_reads_an_excel_export(self, tables: Path, tmp_path: Path) -> None:
        """request reads 'Student ID, First Name, DOB' headers, BOM, CRLF and quotes, as read_submission does."""
        out = tmp_path / "request.txt"
        run = edoutcomes(
            "request", "--students", tables / "export.csv", *REQUEST, "--out", out, cwd=tmp_path
        )
        assert 0 == run.returncode, run.stderr
        lines = out.read_text().splitlines()
        assert ["T1", "42"] == lines[-1].split("\t")
        assert "export.csv: 40 rows, 40 accepted, 0 rejected" in run.stdout

    def test_cohort_query_reads_upper_snake_headers_and_matches_canonical(
        self, tables: Path, tmp_path: Path
    ) -> None:
        """cohort-query on an UPPER_SNAKE export finds exactly what it finds on the canonical table."""
        ours = cohort_query(
            tables,
            tmp_path / "a",
            "--as-of",
            "2022-09-15",
            "--timestamp",
            "202209150000",
            students="upper.csv",
        )
        canonical = cohort_query(
            tables,
            tmp_path / "b",
            "--as-of",
            "2022-09-15",
            "--timestamp",
            "202209150000",
            students="students.csv",
        )
        assert 0 == ours.returncode == canonical.returncode, ours.stderr + canonical.stderr
        name = "edoutcomes_T1cohortrpt.202209150000_CO.csv"
        assert (tmp_path / "b" / name).read_bytes() == (tmp_path / "a" / name).read_bytes()

    def test_column_option(self, tables: Path, tmp_path: Path) -> None:
        """--column requester_id='Stu ID' reads the misnamed column."""
        run = cohort_query(
            tables,
            tmp_path / "o",
            "--as-of",
            "2022-09-15",
            "--column",
            "requester_id=Stu ID",
            students="misnamed.csv",
        )
        assert 0 == run.returncode, run.stderr
        assert "40 students" in run.stdout

    def test_mapping_file(self, tables: Path, tmp_path: Path) -> None:
        """--mapping reads a two-column canonical,source CSV (its header line is optional)."""
        mapping = tmp_path / "map.csv"
        mapping.write_text("canonical,source\nrequester_id,Stu ID\n", encoding="utf-8")
        run = cohort_query(
            tables,
            tmp_path / "o",
            "--as-of",
            "2022-09-15",
            "--mapping",
            mapping,
            students="misnamed.csv",
        )
        assert 0 == run.returncode, run.stderr

    def test_xlsx_students_for_hs_report(self, tmp_path: Path) -> None:
        """hs-report reads graduates from an .xlsx workbook with the school's own headers."""
        openpyxl = pytest.importorskip("openpyxl")
        hs = synthetic_high_schools(30, class_years=(2018,), n_high_schools=1, seed=4)
        students = hs.columns.students
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["Student ID", "HS Code", "Graduation Date"])
        for key, code, grad in zip(
            students.text("requester_id").tolist(),
            students.text("high_school_code").tolist(),
            students.values("hs_grad_date"),
            strict=True,
        ):
            sheet.append([key, code, grad])
        book.save(tmp_path / "grads.xlsx")
        run = edoutcomes(
            "hs-report",
            "--students",
            tmp_path / "grads.xlsx",
            "--as-of",
            hs.as_of.isoformat(),
            "--out",
            tmp_path / "o",
            cwd=tmp_path,
        )
        assert 0 == run.returncode, run.stderr
        assert "30 students, 1 classes" in run.stdout

    def test_header_only_records_are_fine(self, tables: Path, tmp_path: Path) -> None:
        """An enrollments file with a header only is legitimate: nobody was found."""
        run = edoutcomes(
            "cohort-query", "--students", tables / "export.csv", "--enrollments", tables / "enrollments_header.csv",
            *COHORT, "--as-of", "2022-09-15", "--out", tmp_path / "o", cwd=tmp_path,
        )  # fmt: skip
        assert 0 == run.returncode, run.stderr
        assert "40 students, 0 found" in run.stdout


class TestFailFast:
    def test_misnamed_column_names_found_columns_and_nearest_alias(
        self, tables: Path, tmp_path: Path
    ) -> None:
        """One line: the missing field, the file's columns, the nearest alias and the --column to give."""
        run = cohort_query(tables, tmp_path / "o", "--as-of", "2022-09-15", students="misnamed.csv")
        line = one_line_error(
            run, 1, "no requester_id column", "'Stu ID'", "'First Name'", "like the alias"
        )
        assert '--column requester_id="Stu ID"' in line
        assert not (tmp_path / "o").exists()

    @pytest.mark.parametrize("command", ["request", "hs-report"])
    def test_missing_column_in_other_commands(
        self, command: str, tables: Path, tmp_path: Path
    ) -> None:
        """request and hs-report stop the same way on the same file."""
        extra = REQUEST if command == "request" else ["--as-of", "2022-09-15"]
        out = tmp_path / ("r.txt" if command == "request" else "o")
        run = edoutcomes(
            command, "--students", tables / "misnamed.csv", *extra, "--out", out, cwd=tmp_path
        )
        one_line_error(run, 1, "no requester_id column", "'Stu ID'", "like the alias")

    def test_request_needs_a_birth_date(self, tables: Path, tmp_path: Path) -> None:
        """request requires birth_date (the spec's table); cohort-query does not."""
        path = excel_csv(
            tmp_path / "s.csv", ["Student ID", "First Name", "Last Name"], [["1", "A", "B"]]
        )
        run = edoutcomes(
            "request", "--students", path, *REQUEST, "--out", tmp_path / "r.txt", cwd=tmp_path
        )
        one_line_error(run, 1, "no birth_date column", "DOB")

    @pytest.mark.parametrize(
        ("name", "says"),
        [("empty.csv", "is empty"), ("header_only.csv", "header but no student rows")],
    )
    @pytest.mark.parametrize("command", ["cohort-query", "request", "hs-report"])
    def test_empty_students_file(
        self, command: str, name: str, says: str, tables: Path, tmp_path: Path
    ) -> None:
        """An empty or header-only students file is an error, never exit 0 with 0 students."""
        extra = {
            "cohort-query": [*COHORT, "--as-of", "2022-09-15"],
            "request": REQUEST,
            "hs-report": ["--as-of", "2022-09-15"],
        }
        out = tmp_path / ("r.txt" if command == "request" else "o")
        run = edoutcomes(
            command, "--students", tables / name, *extra[command], "--out", out, cwd=tmp_path
        )
        one_line_error(run, 1, says)

    def test_as_of_before_search_date(self, tables: Path, tmp_path: Path) -> None:
        """--as-of before the search date is a usage error."""
        run = cohort_query(tables, tmp_path / "o", "--as-of", "2015-01-01")
        one_line_error(run, 2, "--as-of 2015-01-01 is before the search date 2016-09-15")

    def test_college_detail_to_hs_report(self, tables: Path, tmp_path: Path) -> None:
        """A college (cohort query) detail report given to hs-report is named as such."""
        cohort_query(tables, tmp_path / "q", "--as-of", "2022-09-15")
        detail = next((tmp_path / "q").glob("edoutcomes_T1.*_CO.csv"))
        run = edoutcomes(
            "hs-report",
            "--detail",
            detail,
            "--as-of",
            "2022-09-15",
            "--out",
            tmp_path / "o",
            cwd=tmp_path,
        )
        one_line_error(
            run, 1, "is a college (cohort query) detail report", "high-school detail report"
        )

    @pytest.mark.parametrize("option", ["--students", "--enrollments", "--degrees"])
    def test_directory_where_a_file_is_expected(
        self, option: str, tables: Path, tmp_path: Path
    ) -> None:
        """A folder given for a file is a usage error naming the option."""
        files = {
            "--students": tables / "export.csv",
            "--enrollments": tables / "enrollments.csv",
            "--degrees": tables / "degrees.csv",
        }
        files[option] = tables
        args = [a for pair in files.items() for a in pair]
        run = edoutcomes(
            "cohort-query",
            *args,
            *COHORT,
            "--as-of",
            "2022-09-15",
            "--out",
            tmp_path / "o",
            cwd=tmp_path,
        )
        one_line_error(run, 2, f"{option} {tables} is a directory")

    @pytest.mark.parametrize(
        "command", ["cohort-query", "hs-report", "ontrack", "readiness", "read-detail"]
    )
    def test_file_where_the_out_folder_should_be(
        self, command: str, tables: Path, tmp_path: Path
    ) -> None:
        """--out naming a file, where a folder is written, is a usage error."""
        blocker = tmp_path / "taken"
        blocker.write_text("x")
        args = {
            "cohort-query": ["--students", tables / "export.csv", *COHORT, "--as-of", "2022-09-15"],
            "hs-report": ["--students", tables / "export.csv", "--as-of", "2022-09-15"],
            "ontrack": ["--synthetic", "5", "--year", "2023-24", "--as-of", "2024-06-20"],
            "readiness": ["--synthetic", "5", "--as-of", "2025-07-15"],
            "read-detail": [tables / "students.csv"],
        }[command]
        run = edoutcomes(command, *args, "--out", blocker, cwd=tmp_path)
        one_line_error(run, 2, f"--out {blocker} is a file, not a folder")

    @pytest.mark.parametrize("command", ["request", "cohort-query", "hs-report"])
    def test_existing_output_needs_force(self, command: str, tables: Path, tmp_path: Path) -> None:
        """An output that exists is not overwritten without --force; with it, it is."""
        args = {
            "request": ["--students", tables / "export.csv", *REQUEST, "--out", tmp_path / "r.txt"],
            "cohort-query": [
                "--students",
                tables / "export.csv",
                *COHORT,
                "--as-of",
                "2022-09-15",
                "--timestamp",
                "202209150000",
                "--out",
                tmp_path / "o",
            ],
            "hs-report": [
                "--students",
                tables / "export.csv",
                "--as-of",
                "2022-09-15",
                "--out",
                tmp_path / "o",
            ],
        }[command]
        assert 0 == edoutcomes(command, *args, cwd=tmp_path).returncode
        one_line_error(edoutcomes(command, *args, cwd=tmp_path), 2, "already exists; give --force")
        assert 0 == edoutcomes(command, *args, "--force", cwd=tmp_path).returncode

    def test_bad_mapping_field(self, tables: Path, tmp_path: Path) -> None:
        """A --column naming no students field is a usage error with the nearest field."""
        run = cohort_query(
            tables, tmp_path / "o", "--as-of", "2022-09-15", "--column", "student_id=Stu ID"
        )
        one_line_error(run, 2, "'student_id' is not a students field", "requester_id")

    def test_missing_file(self, tmp_path: Path) -> None:
        """A file that does not exist is a usage error naming the option."""
        run = edoutcomes(
            "request",
            "--students",
            tmp_path / "nope.csv",
            *REQUEST,
            "--out",
            tmp_path / "r.txt",
            cwd=tmp_path,
        )
        one_line_error(run, 2, "--students", "No such file")


class TestFindings:
    def test_findings_summarised_by_kind_and_all_written(
        self, tables: Path, tmp_path: Path
    ) -> None:
        """Errors stop the run (exit 1), one stderr line per kind; --findings writes every one, no values."""
        rows = [[f"S{i}", "Ann", "Lee", "01/02/1999" if i % 2 else "13/45/1999"] for i in range(30)]
        rows += [["S1", "Bo", "Ng", "01/02/1999"]]
        path = excel_csv(
            tmp_path / "bad.csv", ["Student ID", "First Name", "Last Name", "DOB"], rows
        )
        findings = tmp_path / "findings.csv"
        run = edoutcomes(
            "request",
            "--students",
            path,
            *REQUEST,
            "--out",
            tmp_path / "r.txt",
            "--findings",
            findings,
            cwd=tmp_path,
        )
        assert 1 == run.returncode, run.stderr
        err = run.stderr.strip().splitlines()
        assert "stopped the work" in err[-1]
        assert "--lenient" in err[-1]
        assert len(err) <= 6, err  # a header, one line per kind, the error: not one per row
        with findings.open(newline="", encoding="utf-8") as f:
            written = list(csv.DictReader(f))
        assert ["file", "row", "column", "kind", "message"] == list(written[0])
        assert 16 == len(written)  # 15 impossible dates and one repeated id, none hidden
        text = findings.read_text()
        assert "13/45/1999" not in text
        assert "Ann" not in text
        assert not (tmp_path / "r.txt").exists()

    def test_lenient_goes_on(self, tables: Path, tmp_path: Path) -> None:
        """--lenient writes the good rows and says how many were rejected."""
        rows = [[f"S{i}", "Ann", "Lee", "01/02/1999"] for i in range(12)] + [
            ["S1", "Bo", "Ng", "01/02/1999"]
        ]
        path = excel_csv(
            tmp_path / "dup.csv", ["Student ID", "First Name", "Last Name", "DOB"], rows
        )
        run = edoutcomes(
            "request",
            "--students",
            path,
            *REQUEST,
            "--out",
            tmp_path / "r.txt",
            "--lenient",
            cwd=tmp_path,
        )
        assert 0 == run.returncode, run.stderr
        assert "13 rows, 12 accepted, 1 rejected" in run.stdout

    def test_more_than_a_thousand_of_one_kind_all_written(self, tmp_path: Path) -> None:
        """1,200 graduates without a date: 1,200 findings in the file, one summary line, no cap."""
        rows = [[f"S{i:05d}", "Ann", "Lee", "01/02/1999", "" if i % 5 else "06/10/2017", "100"]
                for i in range(1500)]  # fmt: skip
        header = ["Student ID", "First Name", "Last Name", "DOB", "HS Grad Date", "High School"]
        path = excel_csv(tmp_path / "grads.csv", header, rows)
        findings = tmp_path / "findings.csv"
        run = edoutcomes(
            "hs-report", "--students", path, "--as-of", "2022-09-15", "--out", tmp_path / "o",
            "--findings", findings, cwd=tmp_path,
        )  # fmt: skip
        assert 0 == run.returncode, run.stderr
        assert "grads.csv: 1500 rows, 1500 accepted, 0 rejected" in run.stdout
        with findings.open(newline="", encoding="utf-8") as f:
            written = list(csv.DictReader(f))
        assert 1200 == len(written)
        expected = {str(i + 2) for i in range(1500) if i % 5}
        assert expected == {r["row"] for r in written}  # every row named, none summarised
        assert "1200 x error: column hs_grad_date" in run.stderr
        assert "(rows 3, 4, 5, ...)" in run.stderr

    def test_more_than_a_thousand_rejected_rows_all_written(self, tmp_path: Path) -> None:
        """--lenient with 1,100 impossible dates: every rejected row in the file; read = accepted + rejected."""
        rows = [[f"S{i:05d}", "Ann", "Lee", "13/45/1999" if i < 1100 else "01/02/1999"]
                for i in range(1300)]  # fmt: skip
        header = ["Student ID", "First Name", "Last Name", "DOB"]
        path = excel_csv(tmp_path / "bad.csv", header, rows)
        findings = tmp_path / "findings.csv"
        run = edoutcomes(
            "request", "--students", path, *REQUEST, "--out", tmp_path / "r.txt", "--lenient",
            "--findings", findings, cwd=tmp_path,
        )  # fmt: skip
        assert 0 == run.returncode, run.stderr
        assert "1300 rows, 200 accepted, 1100 rejected" in run.stdout
        with findings.open(newline="", encoding="utf-8") as f:
            written = [r for r in csv.DictReader(f) if r["kind"] == "error"]
        assert {str(i + 2) for i in range(1100)} == {r["row"] for r in written}


class TestDates:
    @pytest.mark.parametrize(
        "args",
        [
            ["cohort-query", "--students", "s.csv", *COHORT, "--out", "o"],
            ["hs-report", "--students", "s.csv", "--out", "o"],
            ["ontrack", "--synthetic", "5", "--year", "2023-24", "--out", "o"],
            ["readiness", "--synthetic", "5", "--out", "o"],
        ],
    )
    def test_as_of_is_required(self, args: list[str], tmp_path: Path) -> None:
        """Commands whose windows end on the report date never take it from the clock."""
        (tmp_path / "s.csv").write_text("requester_id\nA\n")
        run = edoutcomes(*args, cwd=tmp_path)
        one_line_error(run, 2, "--as-of is required", "--as-of today")
        assert not (tmp_path / "o").exists()

    def test_as_of_today_and_dates_printed(self, tables: Path, tmp_path: Path) -> None:
        """--as-of today is today's date, and the output says so; the file date says where it came from."""
        run = cohort_query(tables, tmp_path / "o", "--as-of", "today")
        assert 0 == run.returncode, run.stderr
        today = dt.datetime.now(dt.UTC).astimezone().date().isoformat()
        assert (
            f"report date (--as-of): {today} (today's date, as --as-of today asked)" in run.stdout
        )
        assert "search date: 2016-09-15 (given)" in run.stdout
        assert f"file creation date: {today} (the run's date)" in run.stdout
        assert re.search(r"file names' time stamp: \d{12} \(the run's time\)", run.stdout)

    def test_request_dates_said(self, tables: Path, tmp_path: Path) -> None:
        """request prints its file date and whether it was given."""
        run = edoutcomes(
            "request",
            "--students",
            tables / "export.csv",
            *REQUEST,
            "--out",
            tmp_path / "r.txt",
            cwd=tmp_path,
        )
        assert "file date: 2022-09-01 (given)" in run.stdout
        assert "run date (--as-of): 2022-09-15 (given)" in run.stdout


class TestSummary:
    def test_summary_lists_files_students_sizes_and_time(
        self, tables: Path, tmp_path: Path
    ) -> None:
        """The end of a run: rows per file, students found, files written with sizes, the time."""
        run = cohort_query(tables, tmp_path / "o", "--as-of", "2022-09-15")
        out = run.stdout
        assert re.search(r"read .*export.csv: 40 rows, 40 accepted, 0 rejected", out)
        assert re.search(r"read .*enrollments.csv: \d+ rows", out)
        assert re.search(r"40 students, \d+ found in the records", out)
        assert 3 == len(re.findall(r"wrote .* \((\d+ bytes|[\d.]+ KB)\)", out))
        assert re.search(r"done in \d+\.\d s", out)

    def test_no_progress_bar_in_captured_output(
        self, tables: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Progress is drawn only on a terminal: captured stderr stays empty on a clean run."""
        code = main(
            [
                "cohort-query",
                "--students",
                str(tables / "export.csv"),
                *COHORT,
                "--as-of",
                "2022-09-15",
                "--out",
                str(tmp_path / "o"),
            ]
        )
        assert 0 == code
        captured = capsys.readouterr()
        assert "" == captured.err
        assert "\r" not in captured.out
        assert "it/s" not in captured.out


def _subcommands() -> dict[str, object]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return dict(action.choices)  # type: ignore[arg-type]


class TestHelp:
    @pytest.mark.parametrize("name", sorted(_subcommands()))
    def test_help_teaches(self, name: str, capsys: pytest.CaptureFixture[str]) -> None:
        """Every option has help text; the epilog has an example and the exit codes; no reST markup."""
        sub = _subcommands()[name]
        undocumented = [a.option_strings or a.dest for a in sub._actions if not a.help]  # type: ignore[attr-defined]
        assert [] == undocumented
        with pytest.raises(SystemExit):
            main([name, "--help"])
        text = capsys.readouterr().out
        assert f"edoutcomes {name} " in text.split("example", 1)[1]
        assert "exit codes: 0 done, 1 findings in the input stopped the work, 2 usage error" in text
        for markup in ("``", ":func:", ":class:", ".. ", ":data:"):
            assert markup not in text, markup

    def test_ontrack_reasons_in_words(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """ontrack prints why students are not reported in words, not enum names or codes."""
        code = main(
            [
                "ontrack",
                "--synthetic",
                "60",
                "--year",
                "2023-24",
                "--as-of",
                "2024-06-20",
                "--out",
                str(tmp_path),
            ]
        )
        assert code in (0, 1)
        out = capsys.readouterr().out
        reasons = [line for line in out.splitlines() if line.startswith("  not reported")]
        assert reasons
        assert all(re.search(r"[A-Z]{2,}_[A-Z]|[a-z]+_[a-z]+", line) is None for line in reasons), (
            reasons
        )


@pytest.mark.match
class TestMatch:
    @pytest.fixture(autouse=True)
    def _extra(self) -> None:
        from match_extra import MATCH_EXTRA_MISSING

        pytest.importorskip("rapidfuzz", reason=MATCH_EXTRA_MISSING)
        pytest.importorskip("jellyfish", reason=MATCH_EXTRA_MISSING)

    def test_match_reads_exports_and_prints_passes_in_words(self, tmp_path: Path) -> None:
        """match reads an UPPER_SNAKE export against a canonical store; passes and reasons are words."""
        from edoutcomes.formats import write_table
        from edoutcomes.synth import synthetic_matching

        data = synthetic_matching(120, 50, seed=5)
        write_table(data.people, tmp_path / "people.csv")
        sent = data.submitted
        born = [d.strftime("%m/%d/%Y") if d else "" for d in sent.values("birth_date")]
        excel_csv(
            tmp_path / "sent.csv",
            ["STUDENT_NUMBER", "FIRST_NAME", "LAST_NAME", "BIRTH_DATE", "SSN"],
            [
                [i, f or "", la or "", b, ""]
                for i, f, la, b in zip(
                    sent.text("requester_id").tolist(),
                    sent.text("first_name").tolist(),
                    sent.text("last_name").tolist(),
                    born,
                    strict=True,
                )
            ],
        )
        run = edoutcomes(
            "match", "--submitted", tmp_path / "sent.csv", "--people", tmp_path / "people.csv",
            "--as-of", "2024-01-01", "--out", tmp_path / "m.csv", cwd=tmp_path,
        )  # fmt: skip
        assert 0 == run.returncode, run.stderr
        counts = [line for line in run.stdout.splitlines() if line.startswith("  ")]
        assert counts
        assert all(re.search(r"[A-Z]+_[A-Z]+", line) is None for line in counts), counts
        assert any(line.startswith("  matched by ") for line in counts), counts

    def test_match_missing_names(self, tmp_path: Path) -> None:
        """match needs first and last names: a file without them stops with one line (exit 1)."""
        path = excel_csv(
            tmp_path / "s.csv", ["Student ID", "First Name", "DOB"], [["1", "A", "1/1/2000"]]
        )
        run = edoutcomes(
            "match",
            "--submitted",
            path,
            "--people",
            path,
            "--out",
            tmp_path / "m.csv",
            cwd=tmp_path,
        )
        one_line_error(run, 1, "no last_name column", "'Student ID', 'First Name', 'DOB'")


class TestFindingsAfterTheWork:
    def test_query_findings_and_orphans_in_the_findings_file(
        self, tables: Path, tmp_path: Path
    ) -> None:
        """Records of students not submitted are warnings with their rows; the run goes on (exit 0)."""
        rows = list(csv.reader((tables / "export.csv").open(encoding="utf-8-sig", newline="")))
        excel_csv(tmp_path / "half.csv", rows[0], rows[1:21])
        findings = tmp_path / "findings.csv"
        run = edoutcomes(
            "cohort-query", "--students", tmp_path / "half.csv", "--enrollments", tables / "enrollments.csv",
            *COHORT, "--as-of", "2022-09-15", "--out", tmp_path / "o", "--findings", findings, cwd=tmp_path,
        )  # fmt: skip
        assert 0 == run.returncode, run.stderr
        with findings.open(newline="", encoding="utf-8") as f:
            written = list(csv.DictReader(f))
        orphans = [r for r in written if "not among the students" in r["message"]]
        assert orphans
        assert all(r["row"].isdigit() and r["kind"] == "warning" for r in orphans)
        assert any("belong to no submitted student" in r["message"] for r in written)
        kinds = [line for line in run.stderr.splitlines() if line.startswith("  ")]
        assert len(kinds) < len(orphans)  # summarised by kind, not a line per row

    def test_no_student_id_in_messages(self, tmp_path: Path) -> None:
        """Request checks that name a student by id are printed and written without the id."""
        rows = [
            [f"ID{i:04d}", "Ann", "Lee", "01/02/1999", "" if i % 2 else "123456789"]
            for i in range(12)
        ]
        path = excel_csv(
            tmp_path / "s.csv", ["Student ID", "First Name", "Last Name", "DOB", "SSN"], rows
        )
        findings = tmp_path / "f.csv"
        run = edoutcomes(
            "request",
            "--students",
            path,
            *REQUEST,
            "--out",
            tmp_path / "r.txt",
            "--findings",
            findings,
            cwd=tmp_path,
        )
        assert 0 == run.returncode, run.stderr
        assert "ID0" not in run.stderr + run.stdout
        assert "ID0" not in findings.read_text()

    def test_a_file_level_problem_is_one_line(self, tables: Path, tmp_path: Path) -> None:
        """read-detail on a file that is no detail report: exit 1, one line naming the cause."""
        run = edoutcomes(
            "read-detail", tables / "students.csv", "--out", tmp_path / "o", cwd=tmp_path
        )
        one_line_error(
            run, 1, "neither a Requester Return Field nor a Your Unique Identifier column"
        )


def test_unfixable_request_rows_go_to_the_findings_file(tmp_path: Path) -> None:
    """Rows the request rules cannot fix stop the run (exit 1) and are all in --findings, without values."""
    rows = [[f"S{i}", "Ann", "Lee", "01/02/1999"] for i in range(5)]  # fewer than 11 students
    path = excel_csv(tmp_path / "s.csv", ["Student ID", "First Name", "Last Name", "DOB"], rows)
    findings = tmp_path / "f.csv"
    run = edoutcomes(
        "request",
        "--students",
        path,
        *REQUEST,
        "--out",
        tmp_path / "r.txt",
        "--findings",
        findings,
        cwd=tmp_path,
    )
    assert 1 == run.returncode, run.stderr
    assert "Traceback" not in run.stderr
    assert findings.read_text().count("\n") >= 2
    assert not (tmp_path / "r.txt").exists()


def test_blank_return_fields_need_no_id_column(tmp_path: Path) -> None:
    """request --blank-return-field takes a file without ids (the spec's table); without it, one line says so."""
    rows = [["Ann", f"Lee{i}", "01/02/1999"] for i in range(12)]
    path = excel_csv(tmp_path / "s.csv", ["First Name", "Last Name", "DOB"], rows)
    run = edoutcomes(
        "request", "--students", path, *REQUEST, "--out", tmp_path / "r.txt", cwd=tmp_path
    )
    one_line_error(run, 1, "no requester_id column", "--blank-return-field")
    run = edoutcomes(
        "request",
        "--students",
        path,
        *REQUEST,
        "--blank-return-field",
        "--out",
        tmp_path / "r.txt",
        cwd=tmp_path,
    )
    assert 0 == run.returncode, run.stderr
    lines = (tmp_path / "r.txt").read_text().splitlines()
    assert 12 == sum(line.startswith("D1\t\tANN") for line in lines)
    assert "row-0000" not in "".join(lines)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["ontrack", "--synthetic", "20", "--year", "2023-24", "--as-of", "2024-06-20"],
            "generation date (--as-of): 2024-06-20 (given)",
        ),
        (["readiness", "--synthetic", "20", "--as-of", "today"], "evaluation date (--as-of): "),
        (
            ["ontrack", "--synthetic", "20", "--year", "2023-24", "--as-of", "2024-06-20"],
            "snapshot date: none (not given",
        ),
    ],
)
def test_k12_commands_print_their_dates(
    args: list[str], said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ontrack and readiness print the dates they used and where each came from."""
    code = main([*args, "--out", str(tmp_path / "o")])
    assert code in (0, 1)
    out = capsys.readouterr().out
    assert said in out
    assert re.search(r"done in \d+\.\d s", out)


def test_hs_report_findings_name_the_students_file_and_its_rows(tmp_path: Path) -> None:
    """A graduate without a date is named by the students file and its spreadsheet row (a rejected row before it does not shift it)."""
    header = ["Student ID", "First Name", "Last Name", "DOB", "HS Grad Date", "High School"]
    rows = [["S00001", "Ann", "Lee", "13/45/1999", "06/10/2017", "100"],  # rejected at intake
            ["S00002", "Bo", "Lee", "01/02/1999", "06/10/2017", "100"],
            ["S00003", "Cy", "Lee", "01/02/1999", "", "100"]]  # fmt: skip
    path = excel_csv(tmp_path / "grads.csv", header, rows)
    findings = tmp_path / "findings.csv"
    run = edoutcomes(
        "hs-report", "--students", path, "--as-of", "2022-09-15", "--out", tmp_path / "o",
        "--findings", findings, "--lenient", cwd=tmp_path,
    )  # fmt: skip
    assert 0 == run.returncode, run.stderr
    with findings.open(newline="", encoding="utf-8") as f:
        written = [r for r in csv.DictReader(f) if r["column"] == "hs_grad_date"]
    assert [("4", True)] == [(r["row"], r["file"].endswith("grads.csv")) for r in written]
