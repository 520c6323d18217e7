"""
Every page of docs/ can be followed as written: its Python blocks run, in page order.

A page runs in a scratch folder as one session: each block sees what the blocks above it
defined, as a reader who types them into one notebook would. A page that reads the reader's own
files (a request export, a detail report from the clearinghouse) finds synthetic ones of those
names there, made by its entry in ``FILES`` below; the page itself is not changed for the test.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"

# A block fenced ```python runs. ```python no-run marks a fragment: a signature, a sketch that
# needs the reader's own cluster or installed distribution, or an extra the suite does not install.
# Use it sparingly. Output, layouts and command lines are fenced ```text, ```sh or bare ```.
_BLOCK = re.compile(r"^```python\n(.*?)^```", flags=re.S | re.M)

# Pages whose blocks need an optional extra: they run where it is installed (pytest -m dask in
# the dask environment of .ci/run), and are skipped elsewhere with the extra's name.
NEEDS = {"how-to/run-on-a-cluster.md": ("dask", "distributed")}


def pages() -> list[Path]:
    """Every Markdown page of docs/, in a stable order."""
    return sorted(DOCS.rglob("*.md"))


def python_blocks(text: str) -> list[str]:
    """A page's runnable blocks, in order (``no-run`` blocks are left out)."""
    return _BLOCK.findall(text)


def _cohort_files(folder: Path, n: int = 200) -> None:
    from edoutcomes.synth import synthetic_cohort

    synthetic_cohort(n, seed=5).write(folder)


def _detail_report(folder: Path, name: str, layout: str) -> None:
    from edoutcomes.cohort import cohort_query
    from edoutcomes.formats import write
    from edoutcomes.synth import synthetic_cohort

    synthetic = synthetic_cohort(200, seed=5)
    result = cohort_query(
        synthetic.columns,
        search_date=synthetic.search_date,
        institution=synthetic.institution,
        as_of=synthetic.as_of,
    )
    write(result.detail, folder / name, layout)


def _clearinghouse_files(folder: Path) -> None:
    """A students export, a request workbook, detail reports of both layouts, an aggregate report."""
    import openpyxl

    from edoutcomes.cohort import cohort_query
    from edoutcomes.formats import (
        college_request,
        read_detail,
        read_records,
        write,
        write_cohort_query_files,
    )

    _cohort_files(folder)
    students = read_records(folder / "students.csv", "students").records
    request = college_request(
        students,
        school_code="001817",
        school_name="Riverbend State University",
        inquiry="CO",
        search_date=dt.date(2016, 9, 15),
        file_date=dt.date(2016, 10, 1),
    )
    write(request, folder / "request.txt", "nsc-request")
    book = openpyxl.Workbook()
    for line in (folder / "request.txt").read_text(encoding="utf-8").splitlines():
        book.active.append(line.split("\t"))
    book.save(folder / "co_request.xlsx")
    _detail_report(folder, "ir_T1.202209151405_CO.csv", "nsc-detail")
    _detail_report(folder, "NSC_detail.csv", "nsc-hs-detail")
    detail = read_detail(folder / "ir_T1.202209151405_CO.csv")
    result = cohort_query(
        detail.cohort(),
        search_date=dt.date(2016, 9, 15),
        institution="001817",
        as_of=dt.date(2022, 9, 15),
    )
    stamp = dt.datetime(2022, 9, 15, 14, 5)  # noqa: DTZ001 - a file name's stamp, no zone
    files = write_cohort_query_files(result, folder / "theirs", user="ir", timestamp=stamp)
    aggregate = next(p for p in files if "cohortrpt" in p.name)
    aggregate.rename(folder / "ir_T1cohortrpt.202209151405_CO.csv")


def _submission_files(folder: Path) -> None:
    """A students file in canonical columns, and a school's export under its own headers."""
    from edoutcomes.formats import write_table
    from edoutcomes.synth import synthetic_cohort

    students = synthetic_cohort(50, seed=5).columns.students
    write_table(students, folder / "students_2013.csv")
    with (folder / "export.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Pupil No", "Given", "Family", "Born", "Internal notes"])
        for number in range(20):
            writer.writerow([f"P{number:04d}", "ANA", "LEE", f"2000-01-{number + 1:02d}", "x"])


def _district_files(folder: Path) -> None:
    """A district's K-12 tables (students, transcript marks, course lists, ...) in district/."""
    from edoutcomes.synth import synthetic_readiness

    synthetic_readiness(300, seed=7).write(folder / "district")


#: The files a page reads, by page: what the reader would have, made up.
FILES: dict[str, Callable[[Path], None]] = {
    "how-to/read-a-clearinghouse-detail-file.md": _clearinghouse_files,
    "how-to/write-a-request-file.md": _clearinghouse_files,
    "how-to/find-who-is-off-track-for-a-g.md": _district_files,
    "how-to/read-a-submission.md": _submission_files,
    "how-to/run-on-a-cluster.md": _cohort_files,
}


def run_page(name: str, text: str, folder: Path) -> dict[str, object]:
    """Run the blocks of page *name* in order in one namespace; a failure names page and block."""
    if name in FILES:
        FILES[name](folder)
    namespace: dict[str, object] = {"__name__": "docs"}
    for number, code in enumerate(python_blocks(text), start=1):
        try:
            exec(compile(code, f"{name}, Python block {number}", "exec"), namespace)
        except BaseException as error:
            error.add_note(f"docs/{name}: Python block {number} failed (blocks run in page order)")
            raise
    return namespace


def _page_param(page: Path) -> object:
    name = page.relative_to(DOCS).as_posix()
    marks = [getattr(pytest.mark, NEEDS[name][0])] if name in NEEDS else []
    return pytest.param(page, id=name, marks=marks)


@pytest.mark.parametrize("page", [_page_param(p) for p in pages()])
def test_page_runs_in_order(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """
    The page's Python blocks run one after the other in one namespace, in a scratch folder.
    """
    name = page.relative_to(DOCS).as_posix()
    if name in NEEDS:
        extra, module = NEEDS[name]
        pytest.importorskip(module, reason=f"the page needs the {extra!r} extra")
    monkeypatch.chdir(tmp_path)

    run_page(name, page.read_text(encoding="utf-8"), tmp_path)

    capsys.readouterr()


def test_blocks_and_marker() -> None:
    """
    Plain ``python`` blocks are found in order and end at their fence; ``no-run`` ones are not.
    """
    text = (
        "```python\nx = 1\n```\n\n```python no-run\nraise SystemExit\n```\n```python\ny = 2\n```\n"
    )

    assert ["x = 1\n", "y = 2\n"] == python_blocks(text)


def test_a_failing_block_names_its_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """
    A block that fails stops the page with a note naming the page and the block's number, and
    the blocks before it ran in the same namespace.
    """
    text = "```python\nx = 1\n```\n```python\ny = x + 1\n```\n```python\n1 / 0\n```\n"
    monkeypatch.chdir(tmp_path)

    with pytest.raises(ZeroDivisionError) as raised:
        run_page("how-to/a-page.md", text, tmp_path)

    assert ["docs/how-to/a-page.md: Python block 3 failed (blocks run in page order)"] == [
        note for note in raised.value.__notes__ if note.startswith("docs/")
    ]
    namespace = run_page("how-to/a-page.md", text.replace("1 / 0", "z = y"), tmp_path)
    assert (1, 2, 2) == (namespace["x"], namespace["y"], namespace["z"])
