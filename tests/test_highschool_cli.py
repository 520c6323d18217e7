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
    The command writes kpis, enrollment, persistence, completers, left_out, top_colleges, arr and
    the trends page, and the KPI file equals the library's report.
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
        "left_out.csv",
        "top_colleges.csv",
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


DETAIL = """Your Unique Identifier,First Name,Middle Name,Last Name,Name Suffix,Requester Return Field,Record Found Y/N,High School Code,High School Grad Date,College Code/Branch,College Name,College State,2-year / 4-year,Public / Private,Enrollment Begin,Enrollment End,Enrollment Status,Graduated?,Graduation Date,Degree Title,Major,College Sequence,Program Code
,ANN,,LEE,,7_,Y,100200,20200601,001817-00,RIVERBEND,IN,4-year,Public,20200824,20201215,F,N,,,,1,
,ANN,,LEE,,7_,Y,100200,20200601,001817-05,RIVERBEND,IN,4-year,Public,20210824,20211215,F,N,,,,1,
,BO,,NG,,8_,N,100200,20200601,,,,,,,,,,,,,,
"""


def test_hs_report_from_detail_file(tmp_path: Path) -> None:
    """
    A high-school detail report file is read through the formats reader and gives the same KPIs.
    """
    source = tmp_path / "detail.csv"
    source.write_text(DETAIL, encoding="utf-8")
    out = tmp_path / "out"
    assert 0 == main(
        ["hs-report", "--detail", str(source), "--as-of", "2022-09-01", "--out", str(out)]
    )
    with (out / "kpis.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert [("ALL", "2", "1", "1", "1"), ("100200", "2", "1", "1", "1")] == [
        (r["high_school_code"], r["graduates"], r["enrolled_fall"], r["persisted"], r["retained"])
        for r in rows
    ]


def test_arr_attributes_in_submission_order(tmp_path: Path) -> None:
    """
    The ARR's optional attributes follow the fixed columns in the students file's order,
    demographics wherever the file has them (not always first).
    """
    students = tmp_path / "students.csv"
    students.write_text(
        "requester_id,pell,high_school_code,hs_grad_date,gender,zeta,race_ethnicity,alpha\n"
        "A1,Y,100200,2020-06-01,F,z1,WH,a1\n"
        "A2,N,100200,2020-06-01,M,z2,BL,a2\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert 0 == main(
        ["hs-report", "--students", str(students), "--as-of", "2022-09-01", "--out", str(out)]
    )
    with (out / "arr.csv").open(newline="") as f:
        header = next(csv.reader(f))
    fixed = len(arr_columns())
    assert ["pell", "gender", "zeta", "race_ethnicity", "alpha"] == header[fixed:]


def test_hs_report_left_out_and_top_colleges(tmp_path: Path) -> None:
    """
    hs-report writes left_out.csv (students without a graduation date, per high school and
    for the account) and top_colleges.csv (fall and first lists, per high school and ALL).
    """
    students = tmp_path / "students.csv"
    students.write_text(
        "requester_id,high_school_code,hs_grad_date\n"
        "A1,100200,2020-06-01\nA2,100200,2020-06-01\nA3,100200,\nA4,300400,\nA5,300400,2020-06-01\n",
        encoding="utf-8",
    )
    enrollments = tmp_path / "enrollments.csv"
    enrollments.write_text(
        "requester_id,college_code,college_type,begin_date,end_date,college_name,college_state,college_control\n"
        "A1,001817-00,4,2020-09-01,2020-12-15,RIVERBEND,OR,Public\n"
        "A2,001817-05,4,2021-01-10,2021-05-15,RIVERBEND WEST,OR,Public\n"
        "A5,002178-00,2,2020-09-02,2020-12-15,LAKESIDE,WA,Private\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert 0 == main(
        [
            "hs-report",
            "--students",
            str(students),
            "--enrollments",
            str(enrollments),
            "--as-of",
            "2022-09-01",
            "--out",
            str(out),
        ]
    )
    with (out / "left_out.csv").open(newline="") as f:
        left_out = list(csv.reader(f))
    assert [
        ["high_school_code", "reason", "students"],
        ["ALL", "no_graduation_date", "2"],
        ["100200", "no_graduation_date", "1"],
        ["300400", "no_graduation_date", "1"],
    ] == left_out
    with (out / "top_colleges.csv").open(newline="") as f:
        top = list(csv.DictReader(f))
    assert [
        "high_school_code",
        "class_year",
        "list",
        "rank",
        "institution_code",
        "college_name",
        "college_level",
        "college_control",
        "college_state",
        "students",
    ] == list(top[0])
    assert [
        ("ALL", "fall", "1", "001817", "1"),
        ("ALL", "fall", "2", "002178", "1"),
        ("ALL", "first", "1", "001817", "2"),
        ("ALL", "first", "2", "002178", "1"),
        ("100200", "fall", "1", "001817", "1"),
        ("100200", "first", "1", "001817", "2"),
        ("300400", "fall", "1", "002178", "1"),
        ("300400", "first", "1", "002178", "1"),
    ] == [
        (r["high_school_code"], r["list"], r["rank"], r["institution_code"], r["students"])
        for r in top
    ]
    assert {"2020"} == {r["class_year"] for r in top}
    assert ("RIVERBEND", "OR") == (top[0]["college_name"], top[0]["college_state"])


def test_hs_report_trends_page_suppressed_by_default(tmp_path: Path) -> None:
    """
    Without --suppress-below the CSV reports are not suppressed, and the trends page, which is
    for sharing, is suppressed below 10 and says so (spec, second round); --suppress-below N
    sets the page's n too.
    """
    hs = synthetic_high_schools(60, class_years=(2018, 2019), n_high_schools=2, seed=9)
    by_name = {p.stem: p for p in write_cohort(hs.columns, tmp_path / "in")}
    records = [f"--{n}={by_name[n]}" for n in ("students", "enrollments", "degrees")]
    as_of = ["--as-of", hs.as_of.isoformat()]
    assert 0 == main(["hs-report", *records, *as_of, "--out", str(tmp_path / "default")])
    page = (tmp_path / "default" / "trends.html").read_text(encoding="utf-8")
    assert "Small counts are suppressed (n = 10)." in page
    assert "*" not in (tmp_path / "default" / "kpis.csv").read_text(encoding="utf-8")
    args = ["hs-report", *records, *as_of, "--suppress-below", "3", "--out", str(tmp_path / "n3")]
    assert 0 == main(args)
    page = (tmp_path / "n3" / "trends.html").read_text(encoding="utf-8")
    assert "Small counts are suppressed (n = 3)." in page
